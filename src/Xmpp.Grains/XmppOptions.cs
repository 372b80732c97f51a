namespace Xmpp.Grains;

/// <summary>The served domain and what the server says about itself (configuration section "Xmpp").</summary>
public sealed class XmppOptions
{
    public const string SectionName = "Xmpp";

    /// <summary>The domain this server hosts accounts for.</summary>
    public string Domain { get; set; } = "localhost";

    /// <summary>Bare JIDs of service administrators.</summary>
    public IList<string> Admins { get; } = [];

    /// <summary>Software name reported by XEP-0092.</summary>
    public string SoftwareName { get; set; } = "Orleans.Xmpp";

    /// <summary>Software version reported by XEP-0092; the assembly version when empty.</summary>
    public string? SoftwareVersion { get; set; }

    /// <summary>Whether XEP-0092 reveals the operating system (off by default, as in Prosody).</summary>
    public bool ReportOperatingSystem { get; set; }

    /// <summary>
    /// Whether every local address counts as an account (set when Gateway:OpenAuthentication lets
    /// any name log in, as Prosody's test setups do): stanzas to a name nobody logged in with yet
    /// are stored and archived rather than refused as for no such user (RFC 6121 §8.5.1).
    /// </summary>
    public bool EveryAccountExists { get; set; }

    /// <summary>
    /// How long a removed account's name stays taken (its tombstone); null keeps it for good, as
    /// Prosody's <c>user_tombstone_expiry</c> does by default: other servers cannot be relied on to
    /// have forgotten the account's memberships and subscriptions.
    /// </summary>
    public TimeSpan? AccountTombstoneExpiry { get; set; }

    /// <summary>How many messages one account keeps offline (XEP-0160); more are refused.</summary>
    public int OfflineMessageLimit { get; set; } = 1000;

    /// <summary>
    /// Messages (and IQs to a client) from JIDs outside the recipient's roster: <c>Allow</c> (the
    /// default), <c>Drop</c> (silently, as Prosody's and ejabberd's mod_block_strangers) or
    /// <c>Refuse</c> (bounced with service-unavailable, so that a person learns they were not heard).
    /// Servers, services and rooms the user is in (their private messages too) are never strangers.
    /// </summary>
    public Users.StrangerPolicy Strangers { get; set; } = Users.StrangerPolicy.Allow;

    /// <summary>
    /// How many of one account's offline messages (<see cref="OfflineMessageLimit"/>) one sender may
    /// hold; more from it are refused with <c>resource-constraint</c>, so that a flood from one JID
    /// cannot fill the store against everyone else's messages. 0: no share.
    /// </summary>
    public int OfflineMessagesPerSender { get; set; } = 100;

    /// <summary>Message archives (XEP-0313; section "Xmpp:Archive").</summary>
    public Archive.ArchiveOptions Archive { get; } = new();

    /// <summary>The multi-user chat service (section "Xmpp:Muc").</summary>
    public Muc.MucOptions Muc { get; } = new();

    /// <summary>The publish-subscribe service and PEP (section "Xmpp:PubSub").</summary>
    public PubSub.PubSubOptions PubSub { get; } = new();

    /// <summary>STUN/TURN and other services announced to users (XEP-0215; section "Xmpp:ExternalServices").</summary>
    public Server.ExternalServicesOptions ExternalServices { get; } = new();

    /// <summary>Contact addresses in the server's disco#info (XEP-0157; section "Xmpp:ContactAddresses").</summary>
    public Server.ContactAddressesOptions ContactAddresses { get; } = new();

    /// <summary>Per-account limits on subscription requests and room joins (section "Xmpp:Limits").</summary>
    public Users.AccountLimitsOptions Limits { get; } = new();

    /// <summary>Push notifications to the account's devices' app servers (XEP-0357; section "Xmpp:Push").</summary>
    public Users.PushOptions Push { get; } = new();

    /// <summary>HTTP File Upload (section "Xmpp:Upload").</summary>
    public Upload.UploadOptions Upload { get; } = new();

    /// <summary>XEP-0198 stream management (section "Xmpp:StreamManagement").</summary>
    public StreamManagementOptions StreamManagement { get; } = new();
}
