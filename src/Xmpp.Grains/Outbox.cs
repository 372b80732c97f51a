using Xmpp.Grains.Routing;

namespace Xmpp.Grains;

/// <summary>
/// Collects what one grain turn sends to each session and hands it over when the turn ends: one
/// call per session of this silo, so that the stanzas of one event leave in one socket write, and
/// one call per other silo for all of its sessions (<see cref="SessionPushSender"/>). What the turn
/// routes to other entities is routed then too, together: what goes to the accounts of one other
/// silo leaves in one relay call (<see cref="DeliveryStarts"/>).
/// </summary>
/// <remarks>
/// Between turns an outbox holds no table: every user has a grain, most of them idle, so the table
/// is taken when a turn first sends and given back at the flush, to a spare kept per thread (a
/// busy server reuses it; no allocation per turn).
/// </remarks>
internal sealed class Outbox(SessionPushSender remote, IStanzaRouter router)
{
    [ThreadStatic]
    private static Dictionary<SessionRoute, List<Element>>? t_spare;

    [ThreadStatic]
    private static List<(Element Stanza, SessionAddress? Sender)>? t_spareRouted;

    private Dictionary<SessionRoute, List<Element>>? _pending;
    private List<(Element Stanza, SessionAddress? Sender)>? _routed;

    /// <summary>Routes the stanza to its 'to' address when the turn ends, in order with what the turn routed before.</summary>
    public void Route(Element stanza, SessionAddress? sender = null)
    {
        if (_routed is null)
        {
            _routed = t_spareRouted ?? [];
            t_spareRouted = null;
        }

        _routed.Add((stanza, sender));
    }

    /// <summary>As <see cref="IStanzaRouter.Bounce"/>, in order with what the turn routed before.</summary>
    public void Bounce(Element stanza, StanzaError error)
    {
        if (StanzaRouter.BounceOf(stanza, error) is { } reply)
        {
            Route(reply);
        }
    }

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

    public void Flush() => Flush(null, paced: false);

    /// <summary>
    /// As <see cref="Flush()"/>, and completes once the pushes for other silos were handed over if
    /// any silo is behind (<see cref="SessionPushSender.SendPaced"/>), at once otherwise: for a grain
    /// that fans out to many sessions, so that it goes at the pace of its slowest silo.
    /// </summary>
    public Task FlushPacedAsync()
    {
        var behind = new List<Task>();
        Flush(behind, paced: true);
        return behind.Count == 0 ? Task.CompletedTask : Task.WhenAll(behind);
    }

    /// <summary>
    /// As <see cref="Flush()"/>, and completes once everything the turn sent was handed over: the
    /// pushes for other silos to their hubs, and what it routed to the recipients' grains (which
    /// pass it on to their sessions as they take it). For a call whose caller answers someone after
    /// it: an admin command's result must not overtake the presences it caused, whichever way each
    /// of them travels.
    /// </summary>
    public Task FlushAsync()
    {
        var delivered = new List<Task>();
        Flush(delivered, paced: false);
        return Task.WhenAll(delivered);
    }

    private void Flush(List<Task>? delivered, bool paced)
    {
        // Only a flush that waits learns when the routed stanzas were handed over (DeliveryWatch):
        // the paced one waits for slow silos, not for the recipients' grains.
        FlushRouted(paced ? null : delivered);
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
                var handedOver = paced ? remote.SendPaced(hub, pushes) : remote.Send(hub, pushes);
                if (!handedOver.IsCompleted)
                {
                    delivered?.Add(handedOver);
                }
            }
        }
    }

    /// <summary>
    /// Routes what the turn routed so far, and leaves what it sent to sessions for the next flush
    /// (an account's own sessions wait for its archive writes; the recipients' grains do not).
    /// </summary>
    public void FlushRouted() => FlushRouted(null);

    /// <summary>
    /// As <see cref="FlushRouted()"/>; with <paramref name="handedOver"/>, adds to it what completes
    /// once the routed stanzas were handed to their recipients' grains (or bounced).
    /// </summary>
    private void FlushRouted(List<Task>? handedOver)
    {
        if (_routed is not { } routed)
        {
            return;
        }

        _routed = null;
        using (DeliveryStarts.Hold())
        {
            if (handedOver is null)
            {
                foreach (var (stanza, sender) in routed)
                {
                    router.Route(stanza, sender);
                }
            }
            else
            {
                using (DeliveryWatch.Watch(handedOver))
                {
                    foreach (var (stanza, sender) in routed)
                    {
                        router.Route(stanza, sender);
                    }
                }
            }
        }

        routed.Clear();
        t_spareRouted ??= routed;
    }

    private static Dictionary<SessionRoute, List<Element>> TakeSpare()
    {
        var spare = t_spare;
        t_spare = null;
        return spare ?? new Dictionary<SessionRoute, List<Element>>(ReferenceEqualityComparer.Instance);
    }
}
