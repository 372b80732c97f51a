namespace Xmpp.Gateway;

/// <summary>XMPP over WebSocket (RFC 7395; section "Gateway:WebSocket").</summary>
public sealed class GatewayWebSocketOptions
{
    /// <summary>
    /// The web origins (<c>https://chat.example.org</c>) whose pages may open XMPP connections
    /// here; others are answered 403 (RFC 6455 §10.2). Empty: any page may. A connection without
    /// an Origin header (no browser made it) is not a web page's and is let in.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];
}
