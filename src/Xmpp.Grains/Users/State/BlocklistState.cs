namespace Xmpp.Grains.Users.State;

/// <summary>XEP-0191 blocked JIDs (bare, full or domain), prepared, in the order they were blocked.</summary>
public sealed class BlocklistState
{
    public List<string> Blocked { get; set; } = [];
}
