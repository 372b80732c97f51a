namespace Xmpp.Grains.Routing;

/// <summary>
/// Stanzas for one session, or the stream error that ends it, on their way to the session's hub.
/// <see cref="Session"/> tells a session from a newer one bound to the same full JID.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record SessionPush(
    [property: Id(0)] string FullJid,
    [property: Id(1)] ISessionObserver Session,
    [property: Id(2)] IReadOnlyList<Element>? Stanzas,
    [property: Id(3)] StreamError? Close);
