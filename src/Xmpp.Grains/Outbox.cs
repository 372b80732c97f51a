using Xmpp.Grains.Routing;

namespace Xmpp.Grains;

/// <summary>
/// Collects what one grain turn sends to each session and hands it over when the turn ends: one
/// call per session of this silo, so that the stanzas of one event leave in one socket write, and
/// one call per other silo for all of its sessions (<see cref="SessionPushSender"/>).
/// </summary>
/// <remarks>
/// Between turns an outbox holds no table: every user has a grain, most of them idle, so the table
/// is taken when a turn first sends and given back at the flush, to a spare kept per thread (a
/// busy server reuses it; no allocation per turn).
/// </remarks>
internal sealed class Outbox(SessionPushSender remote)
{
    [ThreadStatic]
    private static Dictionary<SessionRoute, List<Element>>? t_spare;

    private Dictionary<SessionRoute, List<Element>>? _pending;

    public void Add(SessionRoute session, Element stanza)
    {
        var pending = _pending ??= TakeSpare();
        if (!pending.TryGetValue(session, out var stanzas))
        {
            stanzas = [];
            pending.Add(session, stanzas);
        }

        stanzas.Add(stanza);
    }

    /// <summary>Ends the session with a stream error, after what this turn already sent it.</summary>
    public void Close(SessionRoute session, StreamError error)
    {
        List<Element>? stanzas = null;
        _pending?.Remove(session, out stanzas);
        if (session.Local is { } local)
        {
            if (stanzas is not null)
            {
                _ = local.SendAsync(stanzas);
            }

            _ = local.CloseAsync(error);
        }
        else
        {
            _ = remote.Send(session.Hub, [new SessionPush(session.FullJid, session.Reference, stanzas, error)]);
        }
    }

    public void Flush() => Flush(null);

    /// <summary>
    /// As <see cref="Flush()"/>, and completes once the pushes for other silos were handed to their
    /// hubs: for a call whose caller answers someone after it (an admin command's result must not
    /// overtake the presences it caused).
    /// </summary>
    public Task FlushAsync()
    {
        var delivered = new List<Task>();
        Flush(delivered);
        return Task.WhenAll(delivered);
    }

    private void Flush(List<Task>? delivered)
    {
        var pending = _pending;
        if (pending is null)
        {
            return;
        }

        _pending = null;
        Dictionary<ISessionHub, List<SessionPush>>? remotePushes = null;
        foreach (var (session, stanzas) in pending)
        {
            if (session.Local is { } local)
            {
                _ = local.SendAsync(stanzas); // completes at once: the session's writer takes it from here
                continue;
            }

            remotePushes ??= [];
            if (!remotePushes.TryGetValue(session.Hub, out var pushes))
            {
                remotePushes.Add(session.Hub, pushes = []);
            }

            pushes.Add(new SessionPush(session.FullJid, session.Reference, stanzas, null));
        }

        pending.Clear();
        t_spare ??= pending;
        if (remotePushes is not null)
        {
            foreach (var (hub, pushes) in remotePushes)
            {
                var handedOver = remote.Send(hub, pushes);
                delivered?.Add(handedOver);
            }
        }
    }

    private static Dictionary<SessionRoute, List<Element>> TakeSpare()
    {
        var spare = t_spare;
        t_spare = null;
        return spare ?? new Dictionary<SessionRoute, List<Element>>(ReferenceEqualityComparer.Instance);
    }
}
