namespace Xmpp.Gateway.Sessions;

internal enum OutboundKind : byte
{
    Stanzas,
    Keepalive,
    Close,

    /// <summary>XEP-0198 <c>&lt;enabled/&gt;</c> (in <see cref="OutboundItem.Single"/>): the stanzas written after it are counted.</summary>
    StreamManagementEnabled,

    /// <summary>An <c>&lt;r/&gt;</c>, if one is still wanted when the writer gets to it.</summary>
    AckRequest,
}

/// <summary>
/// One entry of a session's send queue: the stanzas of one <see cref="Xmpp.Grains.ISessionObserver.SendAsync"/>
/// call (written together), a single reply from the read loop, a whitespace keepalive, a stream
/// management marker, or the close marker. A struct, so queueing allocates nothing beyond the channel's segments.
/// </summary>
internal readonly record struct OutboundItem(OutboundKind Kind, IReadOnlyList<Element>? Batch, Element? Single, int Size)
{
    public static OutboundItem Close { get; } = new(OutboundKind.Close, null, null, 0);

    public static OutboundItem Keepalive { get; } = new(OutboundKind.Keepalive, null, null, 1);

    public static OutboundItem AckRequest { get; } = new(OutboundKind.AckRequest, null, null, 1);
}
