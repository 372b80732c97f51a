namespace Xmpp.Grains.Routing;

/// <summary>
/// The one way stanzas travel between entities: by the 'to' address, to the grain or service
/// that owns it (DESIGN §2). Routing never waits for the recipient.
/// </summary>
public interface IStanzaRouter
{
    /// <summary>
    /// Sends the stanza to its 'to' address; undeliverable requests bounce back to 'from'.
    /// <paramref name="sender"/> is the session that sent it, when a client did (rooms use it).
    /// </summary>
    void Route(Element stanza, SessionAddress? sender = null);

    /// <summary>Sends the error reply for <paramref name="stanza"/> back to its sender, unless it may not be answered.</summary>
    void Bounce(Element stanza, StanzaError error);

    /// <summary>
    /// Hands a stanza (an <see cref="Element"/> or a <see cref="RoutedStanza"/>) to the grain
    /// <typeparamref name="TGrain"/> with this key through <paramref name="handOver"/>, in order
    /// with everything this silo handed that grain before (<see cref="OrderedDelivery{T}"/>). The
    /// stanzas of a batch whose call fails bounce. A grain interface has one hand-over: the first
    /// one given for <typeparamref name="TGrain"/> is the one used.
    /// </summary>
    void SendToGrain<TGrain, TStanza>(string key, TStanza stanza, Func<TGrain, IReadOnlyList<TStanza>, Task> handOver)
        where TGrain : IGrainWithStringKey
        where TStanza : class;

    /// <summary>Completes when every stanza routed so far was handed to its grain (or bounced).</summary>
    Task WhenDrainedAsync();
}
