namespace Xmpp.Grains.Muc;

/// <summary>
/// The multi-user chat service (XEP-0045), configuration section "Xmpp:Muc". Defaults are
/// Prosody 0.12's (mod_muc options of the same meaning in comments).
/// </summary>
public sealed class MucOptions
{
    /// <summary>The service's domain; <c>conference.&lt;Domain&gt;</c> when empty.</summary>
    public string? Host { get; set; }

    /// <summary>Whether the service runs at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The service's name (Prosody: name): in its own disco#info identity, where "&lt;SoftwareName&gt;
    /// Chatrooms" stands in when empty, and in the server's disco#items only when set.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>Who may create rooms: "anyone", "local" (accounts of the served domain) or "admin" (restrict_room_creation).</summary>
    public string RoomCreation { get; set; } = "anyone";

    /// <summary>
    /// How long a new room stays locked when its owner neither configures it nor accepts the
    /// default configuration (XEP-0045 §10.1; muc_room_lock_timeout).
    /// </summary>
    public TimeSpan RoomLockTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Whether new rooms are locked until configured (muc_room_locking).</summary>
    public bool LockNewRooms { get; set; } = true;

    /// <summary>Upper bound of any room's history length (max_history_messages); unlimited when null.</summary>
    public int? MaxHistoryMessages { get; set; }

    /// <summary>Whether users without an affiliation may register a nickname (allow_unaffiliated_register).</summary>
    public bool AllowUnaffiliatedRegister { get; set; }

    /// <summary>
    /// How long a destroyed persistent room answers <c>gone</c> before its name is free again
    /// (muc_tombstones, muc_tombstone_expiry); zero disables tombstones.
    /// </summary>
    public TimeSpan TombstoneExpiry { get; set; } = TimeSpan.FromDays(31);

    /// <summary>Whether service administrators are owners of every room (component_admins_as_room_owners).</summary>
    public bool AdminsAreRoomOwners { get; set; } = true;

    /// <summary>
    /// Whether the configuration form offers <c>muc#roomconfig_allowpm</c> (who may send private
    /// messages). The setting is always honoured when submitted; Prosody 0.12 has no such field
    /// (later Prosody does), so turning this off reproduces the 0.12 form exactly.
    /// </summary>
    public bool OfferPrivateMessageSetting { get; set; } = true;

    /// <summary>Defaults of new rooms (muc_room_default_*).</summary>
    public MucRoomDefaults RoomDefaults { get; } = new();

    public string HostFor(string domain) => string.IsNullOrWhiteSpace(Host) ? "conference." + domain : Host;

    /// <summary>Whether rooms archive their messages (XEP-0313) until their owner says otherwise (muc_log_by_default).</summary>
    public bool ArchiveByDefault { get; set; } = true;
}
