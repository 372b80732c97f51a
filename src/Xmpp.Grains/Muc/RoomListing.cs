namespace Xmpp.Grains.Muc;

/// <summary>
/// What the service needs to know of a room to list it (XEP-0045 §6.3) and administer it; sent
/// by the room whenever one of these changes.
/// </summary>
[GenerateSerializer]
public sealed class RoomListing
{
    [Id(0)]
    public string Jid { get; set; } = string.Empty;

    [Id(1)]
    public string? Name { get; set; }

    [Id(2)]
    public bool Public { get; set; }

    [Id(3)]
    public bool Persistent { get; set; }

    /// <summary>False when the room was destroyed (the service forgets it).</summary>
    [Id(4)]
    public bool Exists { get; set; }
}
