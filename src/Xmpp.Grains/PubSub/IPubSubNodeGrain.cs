namespace Xmpp.Grains.PubSub;

/// <summary>
/// One publish-subscribe node (key: <see cref="NodeKey"/>), existing or not yet created: of the
/// pubsub service (XEP-0060) or of an account's PEP service (XEP-0163).
/// </summary>
public interface IPubSubNodeGrain : IGrainWithStringKey
{
    /// <summary>
    /// IQs to the pubsub service about this node, in the order they were sent: the node answers
    /// them and notifies its subscribers itself.
    /// </summary>
    Task HandleAsync([Immutable] IReadOnlyList<Element> stanzas);

    /// <summary>
    /// A request the node's service grain passes on: an instant node it named (XEP-0060 §8.1.2),
    /// or a PEP request its account's grain checked the requester of. The node notifies its
    /// explicit subscribers; the reply says what the caller sends to whom.
    /// </summary>
    Task<NodeReply> ExecuteAsync([Immutable] Element iq, NodeRequester requester);

    /// <summary>The entity's affiliation and subscriptions here, or null when the node does not exist or it has neither.</summary>
    Task<NodeRelations?> GetRelationsAsync(string jid);

    /// <summary>
    /// XEP-0163 §4.3.4: the last published item as an event for <paramref name="requester"/>, or null
    /// when there is none or they may not see it.
    /// </summary>
    Task<Element?> GetLastItemEventAsync(NodeRequester requester);
}
