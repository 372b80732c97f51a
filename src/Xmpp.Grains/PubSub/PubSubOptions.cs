namespace Xmpp.Grains.PubSub;

/// <summary>
/// The publish-subscribe service (XEP-0060) and PEP (XEP-0163), configuration section
/// "Xmpp:PubSub". Defaults are Prosody 0.12's (mod_pubsub and mod_pep options of the same meaning in comments).
/// </summary>
public sealed class PubSubOptions
{
    /// <summary>The service's domain; <c>pubsub.&lt;Domain&gt;</c> when empty.</summary>
    public string? Host { get; set; }

    /// <summary>Whether the pubsub service runs at all (PEP on accounts is always there).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The service's name in its disco#info identity (name); "Prosody PubSub Service"'s counterpart when empty.</summary>
    public string? Name { get; set; }

    /// <summary>Who may create nodes on the service: "admin" (Prosody's default: only service administrators), "local" or "anyone".</summary>
    public string NodeCreation { get; set; } = "admin";

    /// <summary>
    /// Whether the service's notifications and items name each item's publisher (XEP-0060 §7.1.2.1
    /// <c>publisher</c>; Prosody: expose_publisher, off by default). PEP items never do.
    /// </summary>
    public bool ExposePublisher { get; set; }

    /// <summary>The most items a node may keep (pubsub_max_items, pep_max_items); also what <c>max</c> means.</summary>
    public int MaxItems { get; set; } = 256;

    public string HostFor(string domain) => string.IsNullOrWhiteSpace(Host) ? "pubsub." + domain : Host;
}
