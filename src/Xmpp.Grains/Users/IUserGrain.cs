using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Users;

/// <summary>
/// One account (key: the bare JID as a string): its sessions, roster, presence, offline messages,
/// blocklist and vCard (RFC 6121, XEP-0191, XEP-0054, XEP-0160).
/// </summary>
/// <remarks>
/// Stanzas are handed over, not shared: the sender never touches an element again once it is
/// sent, so the element parameters are <see cref="ImmutableAttribute"/> and a call within one silo
/// passes the instance instead of a deep copy (what the gateway and router already rely on).
/// </remarks>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Binds a resource for a new session (RFC 6120 §7). A null resource gets a generated one. A
    /// session already bound to the same full JID is closed with <c>conflict</c> and replaced.
    /// <paramref name="hub"/> is the hub of the silo the session is bound on.
    /// </summary>
    Task<Jid> BindAsync(string? resource, ISessionObserver session, ISessionHub hub);

    /// <summary>
    /// The session of this resource ended. If it was available, its contacts and directed-presence
    /// recipients get unavailable presence (RFC 6121 §4.6). <paramref name="undelivered"/> are the
    /// stanzas queued for it that never reached its client: handled as undeliverable (RFC 6121 §8:
    /// messages to other sessions or offline storage, requests answered with an error, presence
    /// dropped), also when the session was already replaced by a newer one (then only they are handled).
    /// </summary>
    Task UnbindAsync(string resource, ISessionObserver session, [Immutable] IReadOnlyList<Element> undelivered);

    /// <summary>
    /// XEP-0198 §5: a client resumes the session of <paramref name="resource"/> on a new
    /// connection, <paramref name="session"/> on the silo of <paramref name="hub"/>. The session
    /// hands itself over (<see cref="ISessionObserver.HandOverAsync"/>, after what was pushed to it)
    /// and, if it did, the resource is the new connection's from now on, with its presence and
    /// everything else unchanged and nobody told. Stanzas that still reach the old connection, or
    /// that it still sends, count as the resumed session's.
    /// </summary>
    Task<SessionHandOver> ResumeAsync(string resource, string resumptionId, uint acknowledged, ISessionObserver session, ISessionHub hub);

    /// <summary>
    /// Stanzas the client of this resource sent, in order, 'from' already stamped with the full JID
    /// by the gateway. Handled here (roster, blocking, vCard, presence broadcast) or routed on.
    /// Completes when all are handled; the gateway sends the next batch only then (in-order processing).
    /// </summary>
    /// <remarks><paramref name="session"/> is the observer the resource was bound with: stanzas of a session that a newer bind replaced are dropped.</remarks>
    Task ProcessOutboundAsync(string resource, ISessionObserver session, [Immutable] IReadOnlyList<Element> stanzas);

    /// <summary>
    /// A session takes <paramref name="count"/> stanzas of the account's rate (Xmpp:Limits:StanzasPerSecond),
    /// shared by all its sessions on every silo, before it reads on; the answer is how long it must
    /// wait first (zero within the rate). Charged at once, so sessions that ask while the rate is
    /// spent wait in turn. Interleaved: it must not queue behind the very flood it slows down.
    /// </summary>
    [AlwaysInterleave]
    Task<TimeSpan> TakeStanzaRateAsync(int count);

    /// <summary>Stanzas addressed to this account (bare or full JID), from anyone, in the order they were sent.</summary>
    Task DeliverAsync([Immutable] IReadOnlyList<Element> stanzas);

    /// <summary>
    /// As <see cref="DeliverAsync"/>, and answers with the relay of the grain's silo: where the
    /// sender's silo sends this account's next stanzas, batched with those for other accounts
    /// there (<see cref="IUserRelay"/>). A sender asks once; the answer costs an allocation per call.
    /// </summary>
    Task<IUserRelay> DeliverAndLocateAsync([Immutable] IReadOnlyList<Element> stanzas);

    /// <summary>
    /// The nodes whose PEP notifications the clients of a caps hash want became known (XEP-0115,
    /// XEP-0163 §4.3.2): this account waited for them (<see cref="PubSub.IEntityCapsGrain.AwaitAsync"/>).
    /// </summary>
    [OneWay]
    Task CapsLearnedAsync(string capsKey, string[] notifyNodes);

    /// <summary>
    /// The client of this resource said it is inactive or active again (XEP-0352), for push
    /// notifications (XEP-0357). Interleaved: it only sets a flag, and the session's read loop
    /// awaits it, so it must not wait behind a resumption that waits for that session to quiesce.
    /// </summary>
    [AlwaysInterleave]
    Task ClientStateChangedAsync(string resource, ISessionObserver session, bool inactive);

    /// <summary>
    /// Whether the name may be registered (XEP-0077): false while the tombstone of a removed
    /// account with this name stands.
    /// </summary>
    Task<bool> MayRegisterAsync();

    /// <summary>The account was created (registered): it exists from now on, and a tombstone that expired is gone.</summary>
    Task AccountCreatedAsync();

    /// <summary>The account's password changed: its other sessions are closed (<c>reset</c>), as Prosody does; <paramref name="resource"/>'s stays.</summary>
    Task PasswordChangedAsync(string resource);

    /// <summary>
    /// XEP-0077 §3.2: removes the account and everything it keeps — contacts are told (unsubscribe,
    /// unsubscribed), roster, blocklist, vCard, private XML, offline messages, archive and PEP nodes
    /// are deleted, rooms drop its affiliations — and leaves a tombstone. Sessions other than
    /// <paramref name="resource"/>'s (which the caller answers and closes) are closed.
    /// </summary>
    Task RemoveAccountAsync(string resource);
}
