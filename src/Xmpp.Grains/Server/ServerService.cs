using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Xmpp.Grains.Routing;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.Server;

/// <summary>
/// Stanzas addressed to the served domain itself: service discovery (XEP-0030) with contact
/// addresses (XEP-0157), software version (XEP-0092), uptime (XEP-0012), time (XEP-0202), ping
/// (XEP-0199) and external services (XEP-0215). Stateless, so it runs on the caller's turn instead
/// of funnelling every server query through one grain.
/// </summary>
public sealed class ServerService : IDomainService
{
    /// <summary>What the server always advertises in disco#info (XEP-0030 §3.1).</summary>
    private static readonly string[] BaseFeatures =
    [
        Namespaces.DiscoInfo,
        Namespaces.DiscoItems,
        Namespaces.Version,
        Namespaces.Last,
        Namespaces.Time,
        Namespaces.Ping,
        Namespaces.VCard,
        Namespaces.PrivateStorage,
        Namespaces.Roster,
        Namespaces.Blocking,
        Namespaces.OfflineMessages,
        Namespaces.Carbons,
        Namespaces.Register,
    ];

    private readonly IStanzaRouter _router;
    private readonly XmppOptions _options;
    private readonly TimeProvider _clock;
    private readonly IServiceProvider _services;
    private readonly DateTimeOffset _started;
    private readonly string[] _features;
    private readonly DataForm? _contactAddresses;
    private readonly ExternalServiceDiscovery? _externalServices;

    public ServerService(IStanzaRouter router, IOptions<XmppOptions> options, TimeProvider clock, IServiceProvider services)
    {
        _router = router;
        _options = options.Value;
        _clock = clock;
        _services = services;
        _started = clock.GetUtcNow();
        _contactAddresses = _options.ContactAddresses.ToForm();
        if (_options.ExternalServices.Any)
        {
            _externalServices = new ExternalServiceDiscovery(_options.ExternalServices, _options.Domain);
            _features = [.. BaseFeatures, Namespaces.ExternalServices, Namespaces.ExternalServicesLegacy];
        }
        else
        {
            _features = BaseFeatures;
        }
    }

    public string Domain => _options.Domain;

    public string? DiscoName => null;

    public void Handle(Element stanza, SessionAddress? sender)
    {
        try
        {
            switch (stanza.Name)
            {
                case Stanza.Iq when Stanza.IsIqRequest(stanza):
                    _router.Route(HandleRequest(stanza, sender));
                    break;
                case Stanza.Presence:
                    HandlePresence(stanza);
                    break;
                case Stanza.Message:
                    _router.Bounce(stanza, StanzaError.ServiceUnavailable());
                    break;
            }
        }
        catch (StanzaErrorException e)
        {
            _router.Bounce(stanza, e.Error);
        }
    }

    /// <summary>XEP-0202 §3: the entity's time, here always UTC.</summary>
    public static Element CurrentTime(DateTimeOffset now) =>
        new Element("time", Namespaces.Time)
            .AddTextChild("tzo", Namespaces.Time, "+00:00")
            .AddTextChild("utc", Namespaces.Time, Delay.FormatStamp(now));

    private Element HandleRequest(Element iq, SessionAddress? sender)
    {
        var payload = iq.FirstElement();
        if (payload is null || iq.Elements().Count() != 1)
        {
            throw new StanzaErrorException(StanzaError.BadRequest("An IQ request needs exactly one child element"));
        }

        var get = iq.Type == "get";
        return (payload.Namespace, payload.Name) switch
        {
            (Namespaces.DiscoInfo, "query") when get => DiscoInfo(iq, payload),
            (Namespaces.DiscoItems, "query") when get => DiscoItems(iq, payload),
            (Namespaces.Version, "query") when get => Stanza.Result(iq, SoftwareVersion()),
            (Namespaces.Last, "query") when get => Stanza.Result(iq, Uptime()),
            (Namespaces.Time, "time") when get => Stanza.Result(iq, CurrentTime(_clock.GetUtcNow())),
            (Namespaces.Ping, "ping") when get => Stanza.Result(iq),
            _ when get && _externalServices is not null && ExternalServiceDiscovery.Handles(payload) =>
                Stanza.Result(iq, ExternalServices(_externalServices, payload, sender)),
            _ => throw new StanzaErrorException(StanzaError.ServiceUnavailable()),
        };
    }

    private Element DiscoInfo(Element iq, Element payload)
    {
        if (!string.IsNullOrEmpty(payload.GetAttribute("node")))
        {
            throw new StanzaErrorException(StanzaError.ItemNotFound("Node does not exist"));
        }

        var query = new Element("query", Namespaces.DiscoInfo);
        query.AddChild("identity", Namespaces.DiscoInfo)
            .SetAttribute("category", "server")
            .SetAttribute("type", "im")
            .SetAttribute("name", _options.SoftwareName);
        foreach (var feature in _features)
        {
            query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", feature);
        }

        if (_options.StreamManagement.Enabled)
        {
            // XEP-0198 is a stream feature first; its namespaces are listed here too, for clients
            // that look before they connect (both versions the gateway speaks, as it offers them).
            query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", Namespaces.StreamManagementLegacy);
            query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", Namespaces.StreamManagement);
        }

        if (_contactAddresses is not null)
        {
            query.Add(_contactAddresses.ToElement()); // XEP-0128: after the features
        }

        return Stanza.Result(iq, query);
    }

    private Element DiscoItems(Element iq, Element payload)
    {
        if (!string.IsNullOrEmpty(payload.GetAttribute("node")))
        {
            throw new StanzaErrorException(StanzaError.ItemNotFound("Node does not exist"));
        }

        var query = new Element("query", Namespaces.DiscoItems);
        foreach (var service in (IEnumerable<IDomainService>)_services.GetService(typeof(IEnumerable<IDomainService>))!)
        {
            if (service.DiscoName is not null)
            {
                query.AddChild("item", Namespaces.DiscoItems)
                    .SetAttribute("jid", service.Domain)
                    .SetAttribute("name", service.DiscoName.Length == 0 ? null : service.DiscoName);
            }
        }

        return Stanza.Result(iq, query);
    }

    /// <summary>
    /// XEP-0215 for the server's own users, as Prosody gives it to its client sessions only: other
    /// senders (a service, a grain) are refused as Prosody refuses other servers' users.
    /// </summary>
    private Element ExternalServices(ExternalServiceDiscovery discovery, Element query, SessionAddress? sender) =>
        sender is null
            ? throw new StanzaErrorException(StanzaError.Forbidden())
            : discovery.Answer(query, _clock.GetUtcNow());

    /// <summary>XEP-0092: name and version; the OS only when configured, as it helps attackers.</summary>
    private Element SoftwareVersion()
    {
        var version = _options.SoftwareVersion
            ?? typeof(ServerService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "0.0.0";
        var query = new Element("query", Namespaces.Version)
            .AddTextChild("name", Namespaces.Version, _options.SoftwareName)
            .AddTextChild("version", Namespaces.Version, version);
        if (_options.ReportOperatingSystem)
        {
            query.AddTextChild("os", Namespaces.Version, RuntimeInformation.OSDescription);
        }

        return query;
    }

    /// <summary>XEP-0012 §5: last activity of a server is its uptime.</summary>
    private Element Uptime()
    {
        var seconds = (long)(_clock.GetUtcNow() - _started).TotalSeconds;
        return new Element("query", Namespaces.Last).SetAttribute("seconds", seconds.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Prosody's choice for presence to the server: a probe is answered with available presence, a
    /// subscription request is approved (the server is always "online").
    /// </summary>
    private void HandlePresence(Element presence)
    {
        if (!Jid.TryParse(presence.From, out var from))
        {
            return;
        }

        var to = from.Bare.ToString();
        switch (presence.Type)
        {
            case "probe":
                _router.Route(new Element(Stanza.Presence) { From = Domain, To = to, Id = presence.Id });
                break;
            case "subscribe":
                _router.Route(new Element(Stanza.Presence) { From = Domain, To = to, Id = presence.Id, Type = "subscribed" });
                _router.Route(new Element(Stanza.Presence) { From = Domain, To = to, Id = presence.Id });
                break;
        }
    }
}
