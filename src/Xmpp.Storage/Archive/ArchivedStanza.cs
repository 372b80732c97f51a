namespace Xmpp.Storage.Archive;

/// <summary>One archived stanza.</summary>
/// <param name="Id">Its <see cref="ArchiveId"/>: unique in its archive, and its archiving time.</param>
/// <param name="With">
/// The other party as the stanza named it (a full JID, or a bare one): for a message the account
/// received its sender, for one it sent its recipient; in a room's archive the sender's occupant JID.
/// </param>
/// <param name="Xml">The stanza as XML.</param>
[GenerateSerializer, Immutable]
public sealed record ArchivedStanza(long Id, string With, string Xml)
{
    public DateTimeOffset Timestamp => ArchiveId.ToTime(Id);

    /// <summary><see cref="With"/> without its resource: what a bare 'with' filter compares.</summary>
    public string WithBare => BareOf(With);

    /// <summary>A JID without its resource (everything before the first '/').</summary>
    public static string BareOf(string jid)
    {
        ArgumentNullException.ThrowIfNull(jid);
        var slash = jid.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? jid : jid[..slash];
    }
}
