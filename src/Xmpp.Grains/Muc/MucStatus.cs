namespace Xmpp.Grains.Muc;

/// <summary>Status codes of <c>&lt;x xmlns='http://jabber.org/protocol/muc#user'/&gt;</c> (XEP-0045 §15.6.2).</summary>
public static class MucStatus
{
    /// <summary>Any occupant may see real JIDs (on entering a non-anonymous room).</summary>
    public const string NonAnonymous = "100";

    /// <summary>Affiliation changed while the user was not in the room.</summary>
    public const string AffiliationChanged = "101";

    /// <summary>Room now shows unavailable members.</summary>
    public const string ShowsUnavailableMembers = "102";

    /// <summary>Room no longer shows unavailable members.</summary>
    public const string HidesUnavailableMembers = "103";

    /// <summary>A non-privacy-related room configuration change.</summary>
    public const string ConfigurationChanged = "104";

    /// <summary>The presence refers to the recipient itself.</summary>
    public const string SelfPresence = "110";

    /// <summary>Room logging enabled.</summary>
    public const string LoggingEnabled = "170";

    /// <summary>Room logging disabled.</summary>
    public const string LoggingDisabled = "171";

    /// <summary>Room is now non-anonymous.</summary>
    public const string NowNonAnonymous = "172";

    /// <summary>Room is now semi-anonymous.</summary>
    public const string NowSemiAnonymous = "173";

    /// <summary>A new room has been created.</summary>
    public const string RoomCreated = "201";

    /// <summary>The service assigned or modified the occupant's nickname.</summary>
    public const string NicknameModified = "210";

    /// <summary>The user has been banned.</summary>
    public const string Banned = "301";

    /// <summary>The occupant's nickname changed (with the new one in item/@nick).</summary>
    public const string NicknameChanged = "303";

    /// <summary>The user has been kicked.</summary>
    public const string Kicked = "307";

    /// <summary>Removed because of an affiliation change.</summary>
    public const string RemovedAffiliationChange = "321";

    /// <summary>Removed because the room became members-only.</summary>
    public const string RemovedMembersOnly = "322";

    /// <summary>Removed because the service is shutting down.</summary>
    public const string RemovedShutdown = "332";

    /// <summary>Removed because of an error (XEP-0045 §15.6.2, Prosody's kick on a bounced stanza).</summary>
    public const string RemovedError = "333";
}
