namespace Xmpp.Grains.Routing;

/// <summary>
/// Where a session can be reached from any silo: its full JID, its observer reference (who it is)
/// and the hub of the silo it is bound on.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record SessionAddress(
    [property: Id(0)] string FullJid,
    [property: Id(1)] ISessionObserver Session,
    [property: Id(2)] ISessionHub Hub);
