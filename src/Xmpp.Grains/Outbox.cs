namespace Xmpp.Grains;

/// <summary>
/// Collects what one grain turn sends to each session and hands it over in one call per session
/// when the turn ends, so that the stanzas of one event leave in one socket write.
/// </summary>
/// <remarks>
/// Between turns an outbox holds no table: every user has a grain, most of them idle, so the table
/// is taken when a turn first sends and given back at the flush, to a spare kept per thread (a
/// busy server reuses it; no allocation per turn).
/// </remarks>
internal sealed class Outbox
{
    [ThreadStatic]
    private static Dictionary<ISessionObserver, List<Element>>? t_spare;

    private Dictionary<ISessionObserver, List<Element>>? _pending;

    public void Add(ISessionObserver session, Element stanza)
    {
        var pending = _pending ??= TakeSpare();
        if (!pending.TryGetValue(session, out var stanzas))
        {
            stanzas = [];
            pending.Add(session, stanzas);
        }

        stanzas.Add(stanza);
    }

    public void Flush()
    {
        var pending = _pending;
        if (pending is null)
        {
            return;
        }

        _pending = null;
        foreach (var (session, stanzas) in pending)
        {
            _ = session.SendAsync(stanzas); // one-way: completes at once, never waits on the session
        }

        pending.Clear();
        t_spare ??= pending;
    }

    private static Dictionary<ISessionObserver, List<Element>> TakeSpare()
    {
        var spare = t_spare;
        t_spare = null;
        return spare ?? new Dictionary<ISessionObserver, List<Element>>(ReferenceEqualityComparer.Instance);
    }
}
