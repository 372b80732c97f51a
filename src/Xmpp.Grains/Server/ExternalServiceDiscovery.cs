using System.Globalization;

namespace Xmpp.Grains.Server;

/// <summary>
/// External service discovery (XEP-0215 v0.7; v0.6's <c>urn:xmpp:extdisco:1</c> gets the same
/// answers in its own namespace, as Prosody keeps it) with the shapes, order and errors of
/// Prosody's mod_external_services. Services are made afresh for each request, so credentials made
/// from a secret are valid from that moment.
/// </summary>
public sealed class ExternalServiceDiscovery(ExternalServicesOptions options, string domain)
{
    /// <summary>Whether this is a request it answers: a services (§3.2) or credentials (§3.3) query.</summary>
    public static bool Handles(Element payload) =>
        payload.Namespace is Namespaces.ExternalServices or Namespaces.ExternalServicesLegacy
        && payload.Name is "services" or "credentials";

    /// <summary>The answer to a services or credentials query, in the query's namespace.</summary>
    public Element Answer(Element query, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        var services = Services(now);
        var answered = query.Name == "credentials"
            ? WithCredentialsRequested(query, services)
            : query.GetAttribute("type") is { } type ? services.Where(s => s.Type == type) : services;
        var answer = new Element(query.Name, query.Namespace);
        foreach (var service in answered)
        {
            answer.Add(service.ToElement(query.Namespace));
        }

        return answer;
    }

    /// <summary>Every service as announced at <paramref name="now"/>: the configured ones, then the TURN server's.</summary>
    public IReadOnlyList<ExternalService> Services(DateTimeOffset now)
    {
        // Unix time has whole seconds: announced expiry and credential user name agree.
        now = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        return [.. options.Services.Concat(TurnServerServices()).Select(s => Announced(s, now))];
    }

    /// <summary>
    /// §3.3: the restricted services among those asked for by type and host, and by port when
    /// the request names one. A request without type or host is refused with Prosody's text.
    /// </summary>
    private static IEnumerable<ExternalService> WithCredentialsRequested(Element query, IReadOnlyList<ExternalService> services)
    {
        var requested = new HashSet<(string Type, string Host, int Port)>();
        foreach (var service in query.Elements("service", query.Namespace))
        {
            if (service.GetAttribute("type") is not { } type || service.GetAttribute("host") is not { } host)
            {
                // Prosody's words, though it needs the host rather than the port.
                throw new StanzaErrorException(StanzaError.BadRequest("The 'port' and 'type' attributes are required."));
            }

            var port = int.TryParse(service.GetAttribute("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
            requested.Add((type, host, port));
        }

        return services.Where(s => s.Restricted
            && (requested.Contains((s.Type, s.Host, s.Port ?? 0)) || requested.Contains((s.Type, s.Host, 0))));
    }

    /// <summary>Prosody's prepare: defaults filled in; a secret makes TURN REST credentials and restricts the service.</summary>
    private ExternalService Announced(ExternalServiceOptions service, DateTimeOffset now)
    {
        var username = service.Username;
        var password = service.Password;
        var restricted = password is not null || service.Restricted;
        var expires = service.Expires ?? now + service.Ttl;
        var secret = service.UseSharedSecret ? options.Secret : service.Secret;
        if (!string.IsNullOrEmpty(secret))
        {
            (username, password) = TurnRestCredentials.Create(secret, expires ?? now + options.Ttl, service.Username);
            restricted = true;
        }

        return new ExternalService(
            service.Type!,
            service.Transport,
            string.IsNullOrWhiteSpace(service.Host) ? DefaultHost : service.Host,
            service.Port ?? options.Port,
            username,
            password,
            expires,
            restricted);
    }

    private string DefaultHost => string.IsNullOrWhiteSpace(options.Host) ? domain : options.Host;

    /// <summary>mod_turn_external's entries, in its order: STUN, TURN, TURNS, each over UDP then TCP.</summary>
    private IEnumerable<ExternalServiceOptions> TurnServerServices()
    {
        var turn = options.Turn;
        if (string.IsNullOrEmpty(turn.Secret))
        {
            yield break;
        }

        var host = string.IsNullOrWhiteSpace(turn.Host) ? domain : turn.Host;
        foreach (var type in (string[])["stun", "turn", "turns"])
        {
            foreach (var transport in (string[])["udp", "tcp"])
            {
                var offered = type switch
                {
                    "turns" => transport == "tcp" && turn.TlsPort is not null,
                    _ => transport == "udp" || turn.Tcp,
                };
                if (!offered)
                {
                    continue;
                }

                // STUN needs no credentials; TURN and TURNS get them from the shared secret.
                var relay = type != "stun";
                yield return new ExternalServiceOptions
                {
                    Type = type,
                    Transport = transport,
                    Host = host,
                    Port = type == "turns" ? turn.TlsPort : turn.Port,
                    Username = relay ? turn.User : null,
                    Secret = relay ? turn.Secret : null,
                    Ttl = relay ? turn.Ttl : null,
                };
            }
        }
    }
}
