namespace Xmpp.Grains.Muc;

/// <summary>
/// What the service needs to know of a room to list it (XEP-0045 §6.3) and administer it; sent
/// by the room whenever one of these changes.
/// </summary>
public sealed class RoomListing
{
    public string Jid { get; set; } = string.Empty;

    public string? Name { get; set; }

    public bool Public { get; set; }

    public bool Persistent { get; set; }

    /// <summary>False when the room was destroyed (the service forgets it).</summary>
    public bool Exists { get; set; }
}
