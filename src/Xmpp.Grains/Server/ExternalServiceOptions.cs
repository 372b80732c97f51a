namespace Xmpp.Grains.Server;

/// <summary>One entry of Xmpp:ExternalServices:Services, with the fields of Prosody's external_services.</summary>
public sealed class ExternalServiceOptions
{
    /// <summary>The service's type (XEP-0215 §4: stun, turn, turns, ftp, …); required.</summary>
    public string? Type { get; set; }

    /// <summary>udp or tcp.</summary>
    public string? Transport { get; set; }

    /// <summary>Xmpp:ExternalServices:Host when empty.</summary>
    public string? Host { get; set; }

    /// <summary>Xmpp:ExternalServices:Port when empty.</summary>
    public int? Port { get; set; }

    /// <summary>A fixed user name; with a secret, what the TURN REST user name ends with.</summary>
    public string? Username { get; set; }

    /// <summary>A fixed password: the service is then restricted (its credentials are asked for with XEP-0215 §3.3).</summary>
    public string? Password { get; set; }

    /// <summary>Whether the service needs credentials even without a password here.</summary>
    public bool Restricted { get; set; }

    /// <summary>When the service (or its credentials) stop being valid, announced as <c>expires</c>.</summary>
    public DateTimeOffset? Expires { get; set; }

    /// <summary>Validity from the moment of the request, announced as <c>expires</c>; also the lifetime of credentials made from a secret.</summary>
    public TimeSpan? Ttl { get; set; }

    /// <summary>A secret of its own, from which time-limited credentials are made (TURN REST API).</summary>
    public string? Secret { get; set; }

    /// <summary>Credentials are made from Xmpp:ExternalServices:Secret, not <see cref="Secret"/> (Prosody: secret = true).</summary>
    public bool UseSharedSecret { get; set; }
}
