namespace Xmpp.Grains.Muc;

/// <summary>
/// One chat room (key: the room's bare JID, <c>room@service</c>), existing or not yet created:
/// everything addressed to the room or to its occupants (XEP-0045).
/// </summary>
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>A stanza addressed to the room JID or to an occupant JID, from anyone.</summary>
    [OneWay]
    Task HandleAsync(Element stanza);

    /// <summary>
    /// Destroys the room on a service administrator's behalf (XEP-0045 §10.9, Prosody's
    /// muc#destroy command). False when there is no such room.
    /// </summary>
    Task<bool> DestroyAsync(string? alternateVenue, string? reason);

    /// <summary>
    /// Sets an affiliation on a service administrator's behalf (Prosody's muc#set-affiliation
    /// command). Returns null on success, else the error condition.
    /// </summary>
    Task<string?> SetAffiliationAsync(string jid, string affiliation, string? reason);

    /// <summary>The room's listing, or null when there is no such room.</summary>
    Task<RoomListing?> GetListingAsync();
}
