namespace Xmpp.Gateway.Transport;

/// <summary>What a client connected over (metrics count sessions by it).</summary>
internal enum TransportKind
{
    Tcp,
    WebSocket,
}
