namespace Xmpp.Grains;

/// <summary>
/// Collects what one grain turn sends to each session and hands it over in one call per session
/// when the turn ends, so that the stanzas of one event leave in one socket write.
/// </summary>
internal sealed class Outbox
{
    private readonly Dictionary<ISessionObserver, List<Element>> _pending = new(ReferenceEqualityComparer.Instance);

    public void Add(ISessionObserver session, Element stanza)
    {
        if (!_pending.TryGetValue(session, out var stanzas))
        {
            stanzas = [];
            _pending.Add(session, stanzas);
        }

        stanzas.Add(stanza);
    }

    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        foreach (var (session, stanzas) in _pending)
        {
            session.Send(stanzas);
        }

        _pending.Clear();
    }
}
