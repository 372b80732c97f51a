namespace Xmpp.Grains.Muc.State;

/// <summary>
/// The durable part of a persistent room: configuration, affiliations (with reserved nicknames),
/// subject. Written only when one of them changes, never per message. Occupants are never stored.
/// </summary>
public sealed class RoomState
{
    /// <summary>A persistent room exists under this JID.</summary>
    public bool Exists { get; set; }

    public RoomConfig Config { get; set; } = new();

    /// <summary>By bare JID (or bare domain, for domain bans).</summary>
    public Dictionary<string, AffiliationRecord> Affiliations { get; } = new(StringComparer.Ordinal);

    public SubjectState? Subject { get; set; }

    /// <summary>Secret of XEP-0421 occupant ids and of private IQ id mangling.</summary>
    public string? Salt { get; set; }

    /// <summary>A new room is locked (XEP-0045 §10.1.2) until configured or until this time.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Set when this is the tombstone of a destroyed room rather than a room.</summary>
    public TombstoneState? Tombstone { get; set; }
}
