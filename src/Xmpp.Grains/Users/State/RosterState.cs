namespace Xmpp.Grains.Users.State;

/// <summary>The roster, the pending inbound subscription requests and the roster version.</summary>
public sealed class RosterState
{
    /// <summary>Contacts by bare JID.</summary>
    public Dictionary<string, RosterItem> Items { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Inbound subscription requests awaiting the user's answer, by bare JID, each with the complete
    /// request stanza as XML (RFC 6121 §3.1.3: redelivered when the user next comes online).
    /// </summary>
    public Dictionary<string, string> PendingIn { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Incremented on every change; sent as 'ver' for roster versioning (RFC 6121 §2.6).</summary>
    public long Version { get; set; }
}
