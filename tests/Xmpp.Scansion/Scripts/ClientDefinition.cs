namespace Xmpp.Scansion.Scripts;

/// <summary>
/// A <c>[Client] Name</c> block: who a client logs in as and where it connects. Unknown keys of
/// the block are ignored, as the original runner does.
/// </summary>
public sealed record ClientDefinition(string Name, int Line)
{
    /// <summary>The JID to log in as; a resource in it is requested at bind.</summary>
    public string? Jid { get; init; }

    public string? Password { get; init; }

    /// <summary>The resource to request at bind; overrides the JID's.</summary>
    public string? Resource { get; init; }

    public string? ConnectHost { get; init; }

    public int? ConnectPort { get; init; }
}
