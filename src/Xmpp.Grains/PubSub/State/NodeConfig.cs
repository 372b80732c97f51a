namespace Xmpp.Grains.PubSub.State;

/// <summary>
/// A node's configuration (XEP-0060 §16.4.4, <c>pubsub#node_config</c>), with Prosody's defaults.
/// Stored with the node and handed between grains as a value.
/// </summary>
[GenerateSerializer]
public sealed class NodeConfig
{
    /// <summary>open, presence, roster or whitelist (§4.5); which ones a service takes: <see cref="PubSub.AccessModel"/>.</summary>
    [Id(0)] public string AccessModel { get; set; } = PubSub.AccessModel.Open;

    /// <summary>publishers, subscribers or open (pubsub#publish_model).</summary>
    [Id(1)] public string PublishModel { get; set; } = "publishers";

    /// <summary>How many items the node keeps; null for as many as the service allows ("max").</summary>
    [Id(2)] public int? MaxItems { get; set; } = 20;

    [Id(3)] public bool PersistItems { get; set; } = true;

    [Id(4)] public bool DeliverPayloads { get; set; } = true;

    [Id(5)] public bool DeliverNotifications { get; set; } = true;

    /// <summary>Subscribers hear of the node's deletion (pubsub#notify_delete).</summary>
    [Id(6)] public bool NotifyDelete { get; set; } = true;

    /// <summary>Subscribers hear of retractions that ask for it (pubsub#notify_retract, §7.2.2.1).</summary>
    [Id(7)] public bool NotifyRetract { get; set; } = true;

    /// <summary>never, on_sub or on_sub_and_presence (pubsub#send_last_published_item).</summary>
    [Id(8)] public string SendLastPublishedItem { get; set; } = "never";

    [Id(9)] public string? Title { get; set; }

    [Id(10)] public string? Description { get; set; }

    /// <summary>The payload namespace the node is meant for (pubsub#type).</summary>
    [Id(11)] public string? PayloadType { get; set; }

    /// <summary>headline or normal: the type of notification messages (pubsub#notification_type).</summary>
    [Id(12)] public string NotificationType { get; set; } = "headline";

    /// <summary>The owner's roster groups whose members may access a node of the roster access model (PEP).</summary>
    [Id(13)] public List<string> RosterGroupsAllowed { get; set; } = [];

    public NodeConfig Copy()
    {
        var copy = (NodeConfig)MemberwiseClone();
        copy.RosterGroupsAllowed = [.. RosterGroupsAllowed];
        return copy;
    }
}
