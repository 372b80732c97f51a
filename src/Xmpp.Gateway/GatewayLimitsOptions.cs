namespace Xmpp.Gateway;

/// <summary>
/// Per-connection limits (section "Gateway:Limits"). Exceeding a parser limit ends the stream with
/// <c>policy-violation</c>; exceeding the send queue ends it with <c>resource-constraint</c>.
/// </summary>
public sealed class GatewayLimitsOptions
{
    /// <summary>Largest stanza accepted from an authenticated client, in bytes (Prosody: 256 KiB).</summary>
    public int MaxStanzaBytes { get; set; } = 256 * 1024;

    /// <summary>Largest element accepted before authentication: negotiation needs little.</summary>
    public int MaxStanzaBytesBeforeAuthentication { get; set; } = 16 * 1024;

    /// <summary>Deepest element nesting inside a stanza.</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>Most attributes (including namespace declarations) on one element.</summary>
    public int MaxAttributes { get; set; } = 64;

    /// <summary>No bytes from the client for this long ends the stream with <c>connection-timeout</c>; zero disables.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A client must finish TLS, SASL and bind within this time, or the stream ends with
    /// <c>connection-timeout</c> (ejabberd's default, 30 s: ample for a client on a slow network,
    /// short enough that idle half-open streams do not pile up).
    /// </summary>
    public TimeSpan NegotiationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Send a whitespace keepalive (RFC 6120 §4.6.1) after this long without output, so that NATs keep
    /// the connection and dead peers are found; zero disables.
    /// </summary>
    public TimeSpan WhitespacePingInterval { get; set; }

    /// <summary>Stanza bytes queued for a client that is not reading, before it is disconnected.</summary>
    public int MaxPendingSendBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long a client may take none of a send queue that is over <see cref="MaxPendingSendBytes"/>
    /// (one large batch, such as a long offline backlog, may exceed it when nothing else waits)
    /// before it is disconnected as a slow reader; zero disables.
    /// </summary>
    public TimeSpan SendStallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The kernel's send buffer of each c2s socket, in bytes; zero leaves it to the operating system,
    /// which grows it (on Linux up to <c>net.ipv4.tcp_wmem</c>'s maximum, 4 MiB by default) for a
    /// client that reads slowly: what it holds is kernel memory outside <see cref="MaxPendingSendBytes"/>.
    /// </summary>
    public int SocketSendBufferBytes { get; set; }

    /// <summary>Queued send batches (one per event) for a client that is not reading.</summary>
    public int MaxPendingSendBatches { get; set; } = 10_000;

    /// <summary>How long the final stream error and close tag may take to go out before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Concurrent connections from one address; zero is unlimited. Loopback is exempt.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 100;

    /// <summary>
    /// Connections on this server that have not authenticated yet, from all addresses together,
    /// loopback included: a connection beyond it is answered with <c>resource-constraint</c> and
    /// closed, so that a flood of idle streams (from many addresses, or through a local proxy the
    /// per-address limit exempts) cannot exhaust the server; zero is unlimited.
    /// </summary>
    public int MaxUnauthenticatedConnections { get; set; } = 1000;
}
