namespace Xmpp.Gateway;

/// <summary>
/// Client-to-server listeners and stream policy (configuration section "Gateway"). Every limit has
/// a default that suits a public server; tests and the conformance profile override them.
/// </summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Address to listen on; empty means every interface (IPv6 and IPv4).</summary>
    public string? ListenAddress { get; set; }

    /// <summary>TCP port for c2s streams with STARTTLS (RFC 6120); 0 binds a free port (tests).</summary>
    public int C2sPort { get; set; } = 5222;

    /// <summary>HTTP port for XMPP over WebSocket (RFC 7395) at /xmpp-websocket; 0 turns it off.</summary>
    public int WebSocketPort { get; set; } = 5280;

    /// <summary>
    /// TLS must be negotiated before authentication (RFC 6120 §5.3.1 "mandatory-to-negotiate").
    /// Loopback connections are exempt while <see cref="LoopbackIsSecure"/> is set.
    /// </summary>
    public bool RequireEncryption { get; set; } = true;

    /// <summary>Connections from a loopback address count as confidential, for TLS and PLAIN rules.</summary>
    public bool LoopbackIsSecure { get; set; } = true;

    /// <summary>Offer SASL PLAIN on streams without TLS (never wise outside loopback).</summary>
    public bool AllowPlainWithoutEncryption { get; set; }

    /// <summary>
    /// Testing only: any password logs in and creates the account; only PLAIN is offered. The
    /// conformance profile uses it because its scripts log in with passwords nobody registered.
    /// </summary>
    public bool OpenAuthentication { get; set; }

    /// <summary>How long a stopping server waits for sessions to close before aborting them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public GatewayTlsOptions Tls { get; set; } = new();

    public GatewayLimitsOptions Limits { get; set; } = new();

    public GatewayAuthOptions Auth { get; set; } = new();

    public GatewayRegistrationOptions Registration { get; set; } = new();

    public GatewayWebSocketOptions WebSocket { get; set; } = new();

    public GatewayRateLimitsOptions RateLimits { get; set; } = new();
}
