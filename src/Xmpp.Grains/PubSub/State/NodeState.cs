namespace Xmpp.Grains.PubSub.State;

/// <summary>
/// The durable part of one node: whether it exists, its configuration, affiliations, subscriptions
/// and (when it persists items) its items. Written when one of them changes.
/// </summary>
public sealed class NodeState
{
    public bool Exists { get; set; }

    public NodeConfig Config { get; set; } = new();

    /// <summary>By bare JID; entities without an entry have the affiliation "none".</summary>
    public Dictionary<string, string> Affiliations { get; } = new(StringComparer.Ordinal);

    /// <summary>By subscribed JID (bare or full, as subscribed).</summary>
    public Dictionary<string, NodeSubscription> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>Oldest first; at most <see cref="NodeConfig.MaxItems"/>.</summary>
    public List<StoredItem> Items { get; } = [];

    public DateTimeOffset Created { get; set; }

    public string? Creator { get; set; }
}

/// <summary>One published item (XEP-0060 §7.1): its id, payload as XML, publisher and time.</summary>
public sealed class StoredItem
{
    public required string Id { get; set; }

    /// <summary>The item's payload element as XML, or null for a notification-only item.</summary>
    public string? Payload { get; set; }

    /// <summary>The bare JID that published it.</summary>
    public string? Publisher { get; set; }

    public DateTimeOffset Published { get; set; }
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
