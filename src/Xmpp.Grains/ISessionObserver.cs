namespace Xmpp.Grains;

/// <summary>
/// A client session as grains see it: the gateway's stream for one full JID. Calls queue work for
/// the session's writer and return at once; they never block the calling grain.
/// </summary>
public interface ISessionObserver : IGrainObserver
{
    /// <summary>
    /// Queues stanzas for the client. The stanzas of one call come from one event and are written
    /// and flushed together (one socket write), which is what clients and scansion expect.
    /// </summary>
    void Send(IReadOnlyList<Element> stanzas);

    /// <summary>Ends the session with a stream error, e.g. <c>conflict</c> when a new bind replaces it.</summary>
    void Close(StreamError error);
}
