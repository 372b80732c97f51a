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

    /// <summary>Message archives (XEP-0313; section "Xmpp:Archive").</summary>
    public Archive.ArchiveOptions Archive { get; } = new();

    /// <summary>The multi-user chat service (section "Xmpp:Muc").</summary>
    public Muc.MucOptions Muc { get; } = new();

    /// <summary>The publish-subscribe service and PEP (section "Xmpp:PubSub").</summary>
    public PubSub.PubSubOptions PubSub { get; } = new();

    /// <summary>XEP-0198 stream management (section "Xmpp:StreamManagement").</summary>
    public StreamManagementOptions StreamManagement { get; } = new();
}
