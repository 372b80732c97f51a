namespace Xmpp.Grains.PubSub;

/// <summary>
/// The XEP-0060 §10 features this server implements, as advertised by the pubsub service and by
/// every account's PEP service (XEP-0163 §6): what the nodes do, and nothing they don't.
/// </summary>
public static class PubSubFeatures
{
    private static readonly string[] Common =
    [
        "access-open", "access-whitelist", "config-node", "config-node-max", "create-and-configure",
        "create-nodes", "delete-items", "delete-nodes", "instant-nodes", "item-ids", "last-published", "manage-subscriptions",
        "member-affiliation", "meta-data", "modify-affiliations", "multi-items", "outcast-affiliation", "persistent-items",
        "publish", "publish-only-affiliation", "publish-options", "publisher-affiliation", "purge-nodes",
        "retract-items", "retrieve-affiliations", "retrieve-default", "retrieve-items", "retrieve-subscriptions",
        "subscribe", "subscription-options",
    ];

    /// <summary>The pubsub service's features (with disco's own).</summary>
    public static IReadOnlyList<string> Service { get; } =
    [
        Namespaces.DiscoInfo, Namespaces.DiscoItems, Namespaces.PubSub,
        .. Common.Order(StringComparer.Ordinal).Select(f => Namespaces.PubSub + "#" + f),
    ];

    /// <summary>What an account's PEP service adds to the account's disco#info (XEP-0163 §6).</summary>
    public static IReadOnlyList<string> Pep { get; } =
    [
        Namespaces.PubSub,
        .. Common.Concat(["access-presence", "access-roster", "auto-create", "auto-subscribe", "filtered-notifications", "presence-notifications", "presence-subscribe"])
            .Order(StringComparer.Ordinal).Select(f => Namespaces.PubSub + "#" + f),
    ];
}
