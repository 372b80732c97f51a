using System.Diagnostics;
using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// Several sessions of one account flood a victim together, as a spammer with many clients would:
/// how long until every message arrived, and whether each arrived exactly once.
/// </summary>
public sealed class AccountFlood
{
    private readonly Stopwatch _started;
    private readonly Task _sending;
    private readonly int _total;

    private AccountFlood(Stopwatch started, Task sending, int total)
    {
        _started = started;
        _sending = sending;
        _total = total;
    }

    /// <summary>Starts each session sending <paramref name="perSession"/> chat messages to <paramref name="victim"/>, all at once.</summary>
    public static AccountFlood Start(IReadOnlyList<XmppTestClient> sessions, string victim, int perSession)
    {
        var started = Stopwatch.StartNew();
        var sending = Task.WhenAll(sessions.Select((session, s) => Task.Run(async () =>
        {
            for (var i = 0; i < perSession; i++)
            {
                await session.SendAsync($"<message to='{victim}' type='chat' id='s{s}-{i}'><body>spam</body></message>");
            }
        })));
        return new AccountFlood(started, sending, sessions.Count * perSession);
    }

    /// <summary>Reads the victim's messages until all arrived (each once); how long the flood took to arrive.</summary>
    public async Task<TimeSpan> ArrivedAsync(XmppTestClient victim)
    {
        var ids = new HashSet<string>();
        while (ids.Count < _total)
        {
            var stanza = await victim.ReadElementAsync(TimeSpan.FromSeconds(30));
            if (stanza.Name == Stanza.Message)
            {
                Assert.True(ids.Add(stanza.Id!), $"{stanza.Id} arrived twice");
            }
        }

        var took = _started.Elapsed;
        await _sending;
        return took;
    }
}
