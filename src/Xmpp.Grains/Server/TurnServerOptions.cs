namespace Xmpp.Grains.Server;

/// <summary>
/// A STUN/TURN server such as coturn with <c>use-auth-secret</c>, configuration section
/// "Xmpp:ExternalServices:Turn" (Prosody's mod_turn_external and its turn_external_* options).
/// With <see cref="Secret"/> set it is announced as STUN and TURN over UDP, also over TCP with
/// <see cref="Tcp"/>, and as TURNS with <see cref="TlsPort"/>; the TURN entries carry credentials.
/// </summary>
public sealed class TurnServerOptions
{
    /// <summary>The shared secret of the TURN server (turn_external_secret); nothing is announced without it.</summary>
    public string? Secret { get; set; }

    /// <summary>The server's host (turn_external_host); the served domain when empty.</summary>
    public string? Host { get; set; }

    /// <summary>Its STUN and TURN port (turn_external_port).</summary>
    public int Port { get; set; } = 3478;

    /// <summary>What the credentials' user names end with (turn_external_user).</summary>
    public string? User { get; set; }

    /// <summary>How long credentials are valid (turn_external_ttl).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whether it also listens on TCP (turn_external_tcp).</summary>
    public bool Tcp { get; set; }

    /// <summary>Its TURNS (TURN over TLS) port, announced when set (turn_external_tls_port).</summary>
    public int? TlsPort { get; set; }
}
