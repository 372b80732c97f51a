namespace Xmpp.Grains.Users;

/// <summary>
/// One account (key: the bare JID as a string): its sessions, roster, presence, offline messages,
/// blocklist and vCard (RFC 6121, XEP-0191, XEP-0054, XEP-0160).
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Binds a resource for a new session (RFC 6120 §7). A null resource gets a generated one. A
    /// session already bound to the same full JID is closed with <c>conflict</c> and replaced.
    /// </summary>
    Task<Jid> BindAsync(string? resource, ISessionObserver session);

    /// <summary>
    /// The session of this resource ended. If it was available, its contacts and directed-presence
    /// recipients get unavailable presence (RFC 6121 §4.6). A stale session (already replaced) is ignored.
    /// </summary>
    Task UnbindAsync(string resource, ISessionObserver session);

    /// <summary>
    /// A stanza the client of this resource sent, 'from' already stamped with the full JID by the
    /// gateway. Handled here (roster, blocking, vCard, presence broadcast) or routed on.
    /// </summary>
    [OneWay]
    Task ProcessOutboundAsync(string resource, Element stanza);

    /// <summary>A stanza addressed to this account (bare or full JID), from anyone.</summary>
    [OneWay]
    Task DeliverAsync(Element stanza);
}
