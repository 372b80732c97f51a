namespace Xmpp.Grains.Routing;

/// <summary>
/// A stanza on its way to a grain that keeps sessions of other users in mind (a room), with the
/// address of the session that sent it when a client did: the room can then push to that session
/// through its silo's hub, batched with the other sessions there, instead of through the sender's
/// account grain.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record RoutedStanza(
    [property: Id(0)] Element Stanza,
    [property: Id(1)] SessionAddress? Sender);
