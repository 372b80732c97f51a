namespace Xmpp.Grains.PubSub;

/// <summary>
/// The pubsub service itself (key: its domain): the node registry behind disco#items, instant
/// nodes, the default configuration, and the subscriptions and affiliations across nodes
/// (XEP-0060 §5.1, §5.6, §5.7, §8.1.2, §8.3).
/// </summary>
public interface IPubSubServiceGrain : IGrainWithStringKey
{
    /// <summary>Stanzas addressed to the service's own JID without a node, in the order they were sent.</summary>
    Task HandleAsync([Immutable] IReadOnlyList<Element> stanzas);

    /// <summary>A node was created. One-way: nodes tell the service while it may be awaiting one of them.</summary>
    [OneWay]
    Task NodeCreatedAsync(string node);

    /// <summary>A node was deleted (one-way, as <see cref="NodeCreatedAsync"/>).</summary>
    [OneWay]
    Task NodeDeletedAsync(string node);
}
