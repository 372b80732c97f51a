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

    /// <summary>A client must finish TLS, SASL and bind within this time.</summary>
    public TimeSpan NegotiationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Send a whitespace keepalive (RFC 6120 §4.6.1) after this long without output, so that NATs keep
    /// the connection and dead peers are found; zero disables.
    /// </summary>
    public TimeSpan WhitespacePingInterval { get; set; }

    /// <summary>Stanza bytes queued for a client that is not reading, before it is disconnected.</summary>
    public int MaxPendingSendBytes { get; set; } = 1024 * 1024;

    /// <summary>Queued send batches (one per event) for a client that is not reading.</summary>
    public int MaxPendingSendBatches { get; set; } = 10_000;

    /// <summary>How long the final stream error and close tag may take to go out before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Concurrent connections from one address; zero is unlimited. Loopback is exempt.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 100;
}
