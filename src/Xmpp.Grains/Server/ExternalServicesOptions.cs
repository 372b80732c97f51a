namespace Xmpp.Grains.Server;

/// <summary>
/// External services announced to the server's users (XEP-0215), configuration section
/// "Xmpp:ExternalServices": Prosody's mod_external_services (its options of the same meaning in
/// comments) and, under <see cref="Turn"/>, its mod_turn_external. Nothing configured: the server
/// neither announces nor answers XEP-0215.
/// </summary>
public sealed class ExternalServicesOptions
{
    /// <summary>The host of services that name none (external_service_host); the served domain when empty.</summary>
    public string? Host { get; set; }

    /// <summary>The port of services that name none (external_service_port).</summary>
    public int? Port { get; set; }

    /// <summary>The shared secret of the services with <see cref="ExternalServiceOptions.UseSharedSecret"/> (external_service_secret).</summary>
    public string? Secret { get; set; }

    /// <summary>How long credentials made from a secret are valid, unless a service says (external_service_ttl).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The services, in the order they are announced (external_services).</summary>
    public IList<ExternalServiceOptions> Services { get; } = [];

    /// <summary>A STUN/TURN server with a TURN REST shared secret, announced after <see cref="Services"/>.</summary>
    public TurnServerOptions Turn { get; } = new();

    /// <summary>Whether there is anything to announce.</summary>
    public bool Any => Services.Count > 0 || !string.IsNullOrEmpty(Turn.Secret);

    /// <summary>What makes the configuration unusable, or null; the server does not start with it.</summary>
    public string? Problem()
    {
        for (var i = 0; i < Services.Count; i++)
        {
            var service = Services[i];
            var name = $"Xmpp:ExternalServices:Services:{i}";
            if (string.IsNullOrWhiteSpace(service.Type))
            {
                return $"{name} has no Type";
            }

            if (service.UseSharedSecret && string.IsNullOrEmpty(Secret))
            {
                return $"{name} uses the shared secret, but Xmpp:ExternalServices:Secret is not set";
            }
        }

        return null;
    }
}
