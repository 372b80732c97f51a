namespace Xmpp.Grains.Muc.State;

/// <summary>
/// A room's configuration (XEP-0045 §10.2, the muc#roomconfig fields Prosody offers). Null or
/// default values mean "not set", as in Prosody's room._data.
/// </summary>
public sealed class RoomConfig
{
    public const string WhoisModerators = "moderators";
    public const string WhoisAnyone = "anyone";

    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Language { get; set; }

    public bool Persistent { get; set; }

    /// <summary>Listed in the service's disco#items (the inverse of Prosody's "hidden").</summary>
    public bool Public { get; set; }

    public bool MembersOnly { get; set; }

    /// <summary>Members may invite others into a members-only room (Prosody's allowmemberinvites).</summary>
    public bool AllowMemberInvites { get; set; }

    public bool Moderated { get; set; }

    public string? Password { get; set; }

    /// <summary>Who may see occupants' real JIDs: "moderators" (semi-anonymous) or "anyone".</summary>
    public string Whois { get; set; } = WhoisModerators;

    /// <summary>Participants (not only moderators) may change the subject.</summary>
    public bool ChangeSubject { get; set; }

    /// <summary>How many messages the room keeps; null means the default (20).</summary>
    public int? HistoryLength { get; set; }

    /// <summary>How many messages a joining user gets without asking; null means the default.</summary>
    public int? DefaultHistoryMessages { get; set; }

    /// <summary>Roles whose presence is broadcast; null means visitor, participant and moderator.</summary>
    public List<string>? PresenceBroadcast { get; set; }

    /// <summary>Whether groupchat messages are archived (XEP-0313); null means the service's default (MucOptions.ArchiveByDefault).</summary>
    public bool? Archiving { get; set; }

    /// <summary>Who may send private messages: "anyone", "participants", "moderators" or "none".</summary>
    public string AllowPrivateMessages { get; set; } = "anyone";
}
