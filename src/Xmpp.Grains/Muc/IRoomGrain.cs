using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Muc;

/// <summary>
/// One chat room (key: the room's bare JID, <c>room@service</c>), existing or not yet created:
/// everything addressed to the room or to its occupants (XEP-0045).
/// </summary>
/// <remarks>Stanzas are handed over, not shared (see <see cref="Users.IUserGrain"/>).</remarks>
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stanzas addressed to the room JID or to occupant JIDs, from anyone, in the order they were
    /// sent, each with the session that sent it when a client did.
    /// </summary>
    Task HandleAsync([Immutable] IReadOnlyList<RoutedStanza> stanzas);

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

    /// <summary>
    /// An account of this server was removed (XEP-0077 §3.2): its affiliation goes, unless it is
    /// outcast (a ban outlives the account) or the room's last owner (the room would have none).
    /// </summary>
    [OneWay]
    Task AccountRemovedAsync(string bareJid);
}
