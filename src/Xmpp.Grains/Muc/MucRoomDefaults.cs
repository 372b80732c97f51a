namespace Xmpp.Grains.Muc;

/// <summary>The configuration a new room starts with (Prosody's muc_room_default_* options).</summary>
public sealed class MucRoomDefaults
{
    /// <summary>Prosody's default history length (history.lib.lua).</summary>
    public const int DefaultHistoryLength = 20;

    public bool Public { get; set; }

    public bool Persistent { get; set; }

    public bool MembersOnly { get; set; }

    public bool AllowMemberInvites { get; set; }

    public bool Moderated { get; set; }

    /// <summary>Whether real JIDs are visible to anyone (whois=anyone) rather than to moderators.</summary>
    public bool PublicJids { get; set; }

    public bool ChangeSubject { get; set; }

    public int HistoryLength { get; set; } = DefaultHistoryLength;

    public string? Language { get; set; }
}
