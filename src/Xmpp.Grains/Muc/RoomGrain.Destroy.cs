using Xmpp.Grains.Muc.State;

namespace Xmpp.Grains.Muc;

// Destroying a room (XEP-0045 §10.9), by its owner or a service administrator.
public sealed partial class RoomGrain
{
    /// <summary>
    /// XEP-0045 §10.9: everyone leaves with the reason and the alternate venue; the room is gone
    /// (a persistent room leaves a tombstone for a while, as Prosody does).
    /// </summary>
    private async Task DestroyRoomAsync(string? alternateVenue, string? reason, string? password)
    {
        var x = MucUserX();
        var destroy = x.AddChild("destroy", Namespaces.MucUser).SetAttribute("jid", alternateVenue);
        if (reason is not null)
        {
            destroy.AddTextChild("reason", Namespaces.MucUser, reason);
        }

        if (password is not null)
        {
            destroy.AddTextChild("password", Namespaces.MucUser, password);
        }

        _destroying = true;
        RemoveEveryone(x);

        var tombstone = Config.Persistent && _muc.TombstoneExpiry > TimeSpan.Zero
            ? new TombstoneState { Reason = reason, AlternateVenue = alternateVenue, Until = Now + _muc.TombstoneExpiry }
            : null;
        await ForgetRoomAsync(tombstone);
        await Archive.DeleteAllAsync(); // as Prosody's mod_muc_mam: a room made again later starts without the old one's history
    }

    /// <summary>Everyone leaves at once, each told with the same payload (Prosody's room:clear).</summary>
    private void RemoveEveryone(Element x)
    {
        var left = new List<(Occupant Occupant, Role PreviousRole)>();
        foreach (var stored in _occupants.Values.ToList())
        {
            var occupant = stored.Copy();
            left.Add((occupant, occupant.Role));
            occupant.Role = Role.None;
            SaveOccupant(occupant);
        }

        foreach (var (occupant, previousRole) in left)
        {
            PubliciseOccupantStatus(occupant, new OccupantX(x), prevRole: previousRole);
        }
    }

    public async Task<bool> DestroyAsync(string? alternateVenue, string? reason)
    {
        try
        {
            if (!_exists)
            {
                return false;
            }

            await DestroyRoomAsync(alternateVenue, reason, null);
            return true;
        }
        finally
        {
            await EndTurnDeliveredAsync();
        }
    }
}
