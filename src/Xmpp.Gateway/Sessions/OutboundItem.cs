namespace Xmpp.Gateway.Sessions;

internal enum OutboundKind : byte
{
    Stanzas,
    Keepalive,
    Close,
}

/// <summary>
/// One entry of a session's send queue: the stanzas of one <see cref="Xmpp.Grains.ISessionObserver.SendAsync"/>
/// call (written together), a single reply from the read loop, a whitespace keepalive, or the
/// close marker. A struct, so queueing allocates nothing beyond the channel's segments.
/// </summary>
internal readonly record struct OutboundItem(OutboundKind Kind, IReadOnlyList<Element>? Batch, Element? Single, int Size)
{
    public static OutboundItem Close { get; } = new(OutboundKind.Close, null, null, 0);

    public static OutboundItem Keepalive { get; } = new(OutboundKind.Keepalive, null, null, 1);
}
