using System.Diagnostics.Metrics;

namespace Xmpp.Gateway.Diagnostics;

/// <summary>
/// Stanzas by direction and kind, counted with one interlocked add each and read when metrics are
/// collected: every stanza a client sends or gets passes here, and a counter with tags would look
/// its tag set up on each of them instead.
/// </summary>
internal sealed class StanzaCounts
{
    public const int In = 0;
    public const int Out = 1;

    private static readonly string[] Directions = ["in", "out"];
    private static readonly string[] Kinds = [Stanza.Message, Stanza.Presence, Stanza.Iq];

    private readonly long[] _counts = new long[Directions.Length * Kinds.Length];

    public void Count(int direction, string name)
    {
        var kind = name switch
        {
            Stanza.Message => 0,
            Stanza.Presence => 1,
            Stanza.Iq => 2,
            _ => -1,
        };
        if (kind >= 0)
        {
            Interlocked.Increment(ref _counts[(direction * Kinds.Length) + kind]);
        }
    }

    public IEnumerable<Measurement<long>> Observe()
    {
        for (var direction = 0; direction < Directions.Length; direction++)
        {
            for (var kind = 0; kind < Kinds.Length; kind++)
            {
                yield return new Measurement<long>(
                    Interlocked.Read(ref _counts[(direction * Kinds.Length) + kind]),
                    new KeyValuePair<string, object?>("direction", Directions[direction]),
                    new KeyValuePair<string, object?>("kind", Kinds[kind]));
            }
        }
    }
}
