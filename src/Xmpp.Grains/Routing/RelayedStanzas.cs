namespace Xmpp.Grains.Routing;

/// <summary>Stanzas for one account, in the order they were sent, on their way through a silo's <see cref="IUserRelay"/>.</summary>
[GenerateSerializer]
[Immutable]
public sealed record RelayedStanzas(
    [property: Id(0)] string Account,
    [property: Id(1)] IReadOnlyList<Element> Stanzas);
