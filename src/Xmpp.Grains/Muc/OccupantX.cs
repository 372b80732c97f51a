namespace Xmpp.Grains.Muc;

/// <summary>
/// The muc#user payload templates of one presence broadcast (Prosody's x / x.base, x.self,
/// x.full, x.anon): the room adds the items (and status 110 for the occupant itself).
/// </summary>
internal sealed class OccupantX(Element @base)
{
    public Element Base { get; } = @base;

    /// <summary>For the occupant's own sessions; <see cref="Base"/> when null.</summary>
    public Element? Self { get; init; }

    /// <summary>For those who see real JIDs; <see cref="Base"/> when null.</summary>
    public Element? Full { get; init; }

    /// <summary>For those who do not; <see cref="Base"/> when null.</summary>
    public Element? Anonymous { get; init; }
}
