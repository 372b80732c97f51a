using Microsoft.Extensions.Logging;
using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Users;

// Stream resumption (XEP-0198 §5) across the cluster: the account's grain is where its sessions are
// bound, so it is where a resumption, which may reach any server, finds the session it resumes.
// The session is asked to hand itself over in order with what was pushed to it, and from then on
// the resource is the new connection's: its presence, interests and directed presence stay, and
// nobody is told anything changed.
public sealed partial class UserGrain
{
    public async Task<SessionHandOver> ResumeAsync(string resource, string resumptionId, uint acknowledged, ISessionObserver session, ISessionHub hub)
    {
        if (!_sessions.TryGetValue(resource, out var resumed))
        {
            return SessionHandOver.NotFound;
        }

        SessionHandOver handOver;
        try
        {
            handOver = await HandOverAsync(resumed.Route, resumptionId, acknowledged);
        }
        catch (Exception e)
        {
            // Its silo is gone or does not answer: as for a session that expired.
            _logger.LogWarning(e, "{Jid} could not be handed over for a resumption", resumed.FullJid);
            return SessionHandOver.NotFound;
        }

        if (handOver.Status == HandOverStatus.HandedOver)
        {
            resumed.ResumedAt(_directory.Resolve(new SessionAddress(resumed.FullJid.ToString(), session, hub)));
            resumed.IsInactive = false; // a new connection, awake (XEP-0352 state is the stream's)
        }

        return handOver;
    }

    /// <summary>
    /// The session's hand-over, asked after everything pushed to it so far: a session of this
    /// silo takes pushes synchronously; one of another silo gets them through its hub, in order,
    /// so this silo's pushes for that hub must have arrived before the question does.
    /// </summary>
    private async Task<SessionHandOver> HandOverAsync(SessionRoute route, string resumptionId, uint acknowledged)
    {
        if (route.Local is { } local)
        {
            return await local.HandOverAsync(resumptionId, acknowledged);
        }

        await _pushes.WhenHandedOver(route.Hub);
        return await route.Hub.HandOverAsync(route.Reference, resumptionId, acknowledged);
    }

    /// <summary>
    /// Stanzas that reached a connection after its session was resumed elsewhere (pushed by a room
    /// that still knew the old route, or on their way to it when it handed over): the session's all
    /// the same.
    /// </summary>
    private void PassOnToResumed(UserSession session, IReadOnlyList<Element> stanzas)
    {
        foreach (var stanza in stanzas)
        {
            _outbox.Add(session.Route, stanza);
        }
    }
}
