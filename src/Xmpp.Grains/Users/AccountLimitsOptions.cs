namespace Xmpp.Grains.Users;

/// <summary>
/// What one account may send across all its sessions (section "Xmpp:Limits"), against floods and
/// spam from an account with many sessions; service administrators are exempt. Past the stanza
/// rate its sessions are read more slowly (nothing is refused); past a per-minute limit the
/// request is refused with <c>resource-constraint</c> (type wait): the client may retry.
/// </summary>
public sealed class AccountLimitsOptions
{
    /// <summary>
    /// Stanzas per second the account's sessions may send together, sustained; 0: no limit. Each
    /// connection has its own byte rate too (Gateway:RateLimits); this one keeps an account from
    /// multiplying that by opening more sessions.
    /// </summary>
    public int StanzasPerSecond { get; set; } = 100;

    /// <summary>How many seconds' worth of stanzas may come at once (a client's login: roster, rooms, archive queries) before reading slows down.</summary>
    public TimeSpan StanzaBurst { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Presence subscription requests sent per minute; 0: no limit.</summary>
    public int SubscriptionRequestsPerMinute { get; set; } = 30;

    /// <summary>Rooms joined per minute; generous, for a client that joins its bookmarked rooms at login; 0: no limit.</summary>
    public int RoomJoinsPerMinute { get; set; } = 100;
}
