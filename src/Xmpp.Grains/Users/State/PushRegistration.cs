namespace Xmpp.Grains.Users.State;

/// <summary>An app server a client enabled push notifications at (XEP-0357 §5).</summary>
public sealed class PushRegistration
{
    /// <summary>The XMPP push service's JID.</summary>
    public string Jid { get; set; } = "";

    /// <summary>The node at the push service, identifying the device; null when the client named none.</summary>
    public string? Node { get; set; }

    /// <summary>The publish-options form (secret and the like) as XML, sent with every notification; null when none.</summary>
    public string? PublishOptions { get; set; }

    /// <summary>The resource that enabled it.</summary>
    public string? Resource { get; set; }

    public DateTimeOffset Enabled { get; set; }
}
