namespace Xmpp.Gateway;

/// <summary>
/// The STARTTLS certificate (RFC 6120 §5, section "Gateway:Tls"). Without a configured path a
/// self-signed certificate for the domain is generated into <see cref="DataDirectory"/> on first
/// start and reused afterwards.
/// </summary>
public sealed class GatewayTlsOptions
{
    /// <summary>A PFX/PKCS#12 file, or a PEM certificate (with <see cref="KeyPath"/> or an embedded key).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key for a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of the PFX file or of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>Where the generated certificate lives; the server sets it to its data folder.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Turns STARTTLS off entirely (then <see cref="GatewayOptions.RequireEncryption"/> only admits loopback).</summary>
    public bool Disabled { get; set; }

    /// <summary>A client that does not finish the TLS handshake within this time is disconnected.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
