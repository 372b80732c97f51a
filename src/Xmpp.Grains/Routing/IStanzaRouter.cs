namespace Xmpp.Grains.Routing;

/// <summary>
/// The one way stanzas travel between entities: by the 'to' address, to the grain or service
/// that owns it (DESIGN §2). Routing never waits for the recipient.
/// </summary>
public interface IStanzaRouter
{
    /// <summary>Sends the stanza to its 'to' address; undeliverable requests bounce back to 'from'.</summary>
    void Route(Element stanza);

    /// <summary>Sends the error reply for <paramref name="stanza"/> back to its sender, unless it may not be answered.</summary>
    void Bounce(Element stanza, StanzaError error);

    /// <summary>
    /// Hands the stanza to the grain <typeparamref name="TGrain"/> with this key through
    /// <paramref name="handOver"/>, in order with every stanza this silo handed it before
    /// (<see cref="OrderedDelivery{T}"/>). A batch whose call fails bounces.
    /// </summary>
    void SendToGrain<TGrain>(string key, Element stanza, Func<TGrain, IReadOnlyList<Element>, Task> handOver)
        where TGrain : IGrainWithStringKey;
}
