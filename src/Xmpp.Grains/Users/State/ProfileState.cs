namespace Xmpp.Grains.Users.State;

/// <summary>The vCard (XEP-0054), the last logout (XEP-0012), the archiving preferences (XEP-0313), the private XML (XEP-0049) and the PEP nodes (XEP-0163) of an account.</summary>
public sealed class ProfileState
{
    /// <summary>The vcard-temp element as XML, or null when the user never set one.</summary>
    public string? VCard { get; set; }

    public DateTimeOffset? LastLogout { get; set; }

    /// <summary>The status text of the last unavailable presence.</summary>
    public string? LastStatus { get; set; }

    /// <summary>What the user asked to have archived; null until they set it (the server's default applies).</summary>
    public Archive.MamPrefs? ArchivePrefs { get; set; }

    /// <summary>Private XML fragments (XEP-0049) as XML, by "name namespace" of their root element; null when there are none.</summary>
    public Dictionary<string, string>? PrivateXml { get; set; }

    /// <summary>The account's PEP nodes (XEP-0163) with their access models; null when there are none. The nodes are grains of their own.</summary>
    public Dictionary<string, string>? PepNodes { get; set; }

    /// <summary>The app servers of the account's devices (XEP-0357), by "jid&lt;node" as Prosody keys them; null when there are none.</summary>
    public Dictionary<string, PushRegistration>? PushServices { get; set; }

    /// <summary>
    /// When the account was removed (its tombstone, as Prosody's mod_tombstones keeps one): the
    /// name may not be registered again for <see cref="XmppOptions.AccountTombstoneExpiry"/>, and
    /// contacts' presence is answered <c>gone</c>. Null for an account that was never removed.
    /// </summary>
    public DateTimeOffset? RemovedAt { get; set; }
}
