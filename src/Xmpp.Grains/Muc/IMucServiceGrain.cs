namespace Xmpp.Grains.Muc;

/// <summary>
/// The MUC service itself (key: its domain): the room registry behind disco#items (XEP-0045 §6.3)
/// and the administrators' ad-hoc commands (XEP-0050).
/// </summary>
public interface IMucServiceGrain : IGrainWithStringKey
{
    /// <summary>Stanzas addressed to the service's own JID, in the order they were sent.</summary>
    Task HandleAsync([Immutable] IReadOnlyList<Element> stanzas);

    /// <summary>
    /// Rooms were created, reconfigured or destroyed, in this order. Rooms send these off their
    /// turn, in order (<see cref="Routing.OrderedDelivery{T}"/>): the service may be awaiting the same
    /// room in one of its commands.
    /// </summary>
    Task RoomsChangedAsync(IReadOnlyList<RoomListing> listings);

    /// <summary>An account of the server was removed: every room drops its affiliation where it may (<see cref="IRoomGrain.AccountRemovedAsync"/>).</summary>
    [OneWay]
    Task AccountRemovedAsync(string bareJid);

    /// <summary>The JIDs of all rooms, live and persistent, sorted.</summary>
    Task<IReadOnlyList<string>> ListRoomsAsync();
}
