namespace Xmpp.Grains.PubSub.State;

/// <summary>
/// The durable part of one node but its items: whether it exists, its configuration, affiliations
/// and subscriptions. Written when one of them changes; a publish does not write it.
/// </summary>
public sealed class NodeState
{
    public bool Exists { get; set; }

    public NodeConfig Config { get; set; } = new();

    /// <summary>By bare JID; entities without an entry have the affiliation "none".</summary>
    public Dictionary<string, string> Affiliations { get; } = new(StringComparer.Ordinal);

    /// <summary>By subscribed JID (bare or full, as subscribed).</summary>
    public Dictionary<string, NodeSubscription> Subscriptions { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A node's items (when it persists them), oldest first, at most <see cref="NodeConfig.MaxItems"/>:
/// a record of their own, so that a publish writes them alone, not the node's subscribers too.
/// </summary>
public sealed class NodeItemsState
{
    public List<StoredItem> Items { get; } = [];
}

/// <summary>One published item (XEP-0060 §7.1): its id, payload as XML and publisher.</summary>
public sealed class StoredItem
{
    public required string Id { get; set; }

    /// <summary>The item's payload element as XML, or null for a notification-only item.</summary>
    public string? Payload { get; set; }

    /// <summary>The bare JID that published it.</summary>
    public string? Publisher { get; set; }
}

/// <summary>
/// A subscription (XEP-0060 §6.1). One per JID, so it needs no subid (§6.1.6); approval
/// (the authorize access model) is not offered, so it is never pending.
/// </summary>
public sealed class NodeSubscription
{
    /// <summary>pubsub#deliver of the subscription options (§6.3): false pauses notifications.</summary>
    public bool Deliver { get; set; } = true;
}
