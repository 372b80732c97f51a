namespace Xmpp.Grains.Users;

/// <summary>
/// What one account may start per minute across all its sessions (section "Xmpp:Limits"), against
/// spam through subscription requests and room joins; service administrators are exempt. Past a
/// limit the request is refused with <c>resource-constraint</c> (type wait): the client may retry.
/// </summary>
public sealed class AccountLimitsOptions
{
    /// <summary>Presence subscription requests sent per minute; 0: no limit.</summary>
    public int SubscriptionRequestsPerMinute { get; set; } = 30;

    /// <summary>Rooms joined per minute; generous, for a client that joins its bookmarked rooms at login; 0: no limit.</summary>
    public int RoomJoinsPerMinute { get; set; } = 100;
}
