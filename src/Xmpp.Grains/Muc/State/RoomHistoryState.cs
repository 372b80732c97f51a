namespace Xmpp.Grains.Muc.State;

/// <summary>
/// A persistent room's discussion history, saved when the room's grain deactivates (not per
/// message), so an idle room comes back with the history it had.
/// </summary>
public sealed class RoomHistoryState
{
    public List<StoredHistoryEntry> Entries { get; } = [];
}
