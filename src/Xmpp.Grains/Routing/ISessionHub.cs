namespace Xmpp.Grains.Routing;

/// <summary>
/// One per silo, an Orleans observer like the sessions: how grains of other silos reach the
/// sessions bound on this one. A grain's pushes to the sessions of one silo travel as one call,
/// however many sessions they are for (a groupchat message whose occupants sit on K silos costs K
/// calls), and each silo's calls to a hub are made one at a time, in order
/// (<see cref="SessionPushSender"/>): Orleans does not keep one-way calls in order, and a
/// session must get its stanzas in the order they were sent (RFC 6120 §10.1).
/// </summary>
public interface ISessionHub : IGrainObserver
{
    /// <summary>Hands each push to its session, in order; the stanzas of a push for a session that is gone go back to its account (undelivered).</summary>
    Task PushAsync([Immutable] IReadOnlyList<SessionPush> pushes);

    /// <summary><see cref="ISessionObserver.HandOverAsync"/> of a session of this silo; not found when it is gone.</summary>
    Task<SessionHandOver> HandOverAsync(ISessionObserver session, string resumptionId, uint acknowledged);
}
