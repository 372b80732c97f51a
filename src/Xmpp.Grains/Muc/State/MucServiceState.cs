namespace Xmpp.Grains.Muc.State;

/// <summary>The service's registry of persistent rooms (for disco#items and administration).</summary>
public sealed class MucServiceState
{
    /// <summary>By room JID.</summary>
    public Dictionary<string, RoomListing> Rooms { get; } = new(StringComparer.Ordinal);
}
