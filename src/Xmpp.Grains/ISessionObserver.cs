namespace Xmpp.Grains;

/// <summary>
/// A client session as grains see it: the gateway's stream for one full JID, an Orleans observer
/// (<c>CreateObjectReference</c>) that the gateway keeps alive while the connection lives; its
/// reference tells sessions apart across silos. Grains of its own silo call the object directly;
/// grains of other silos reach it through its silo's <see cref="Routing.ISessionHub"/>, in order.
/// Calls only queue work for the session's writer and never make a grain wait.
/// </summary>
public interface ISessionObserver : IGrainObserver
{
    /// <summary>
    /// Queues stanzas for the client. The stanzas of one call come from one event and are written
    /// and flushed together (one socket write), which is what clients and scansion expect. The
    /// stanzas are handed over (never changed by the sender afterwards), so a call within one silo
    /// passes them without a copy.
    /// </summary>
    [OneWay]
    Task SendAsync([Immutable] IReadOnlyList<Element> stanzas);

    /// <summary>Ends the session with a stream error, e.g. <c>conflict</c> when a new bind replaces it.</summary>
    [OneWay]
    Task CloseAsync(StreamError error);

    /// <summary>
    /// A client resumes this session on another connection (XEP-0198 §5), whose account's grain
    /// asks, having pushed to this session everything it sent before: if
    /// <paramref name="resumptionId"/> is this session's, it stops (a connection it still has is
    /// dropped), reconciles <paramref name="acknowledged"/> (the client's <c>h</c>) with what it
    /// sent and hands over what the client has not acknowledged. Anything that reaches it later
    /// goes back to the account, which passes it on to the resumed session.
    /// </summary>
    Task<SessionHandOver> HandOverAsync(string resumptionId, uint acknowledged);
}
