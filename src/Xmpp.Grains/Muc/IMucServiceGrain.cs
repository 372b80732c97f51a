namespace Xmpp.Grains.Muc;

/// <summary>
/// The MUC service itself (key: its domain): the room registry behind disco#items (XEP-0045 §6.3)
/// and the administrators' ad-hoc commands (XEP-0050).
/// </summary>
public interface IMucServiceGrain : IGrainWithStringKey
{
    /// <summary>A stanza addressed to the service's own JID.</summary>
    [OneWay]
    Task HandleAsync(Element stanza);

    /// <summary>A room was created, reconfigured or destroyed.</summary>
    [OneWay]
    Task RoomChangedAsync(RoomListing listing);

    /// <summary>The JIDs of all rooms, live and persistent, sorted.</summary>
    Task<IReadOnlyList<string>> ListRoomsAsync();
}
