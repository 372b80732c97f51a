using Microsoft.Extensions.Options;
using Xmpp.Grains.Routing;

namespace Xmpp.Grains.PubSub;

/// <summary>
/// The router's entry to the pubsub service domain: a request naming a node goes to that node's
/// grain, anything else to the service grain. Stateless and cheap.
/// </summary>
public sealed class PubSubService : IDomainService
{
    private readonly IStanzaRouter _router;
    private readonly bool _enabled;

    public PubSubService(IStanzaRouter router, IOptions<XmppOptions> options)
    {
        _router = router;
        var xmpp = options.Value;
        Domain = xmpp.PubSub.HostFor(xmpp.Domain);
        _enabled = xmpp.PubSub.Enabled;
        DiscoName = !_enabled ? null : xmpp.PubSub.Name ?? string.Empty;
    }

    public string Domain { get; }

    public string? DiscoName { get; }

    public void Handle(Element stanza, SessionAddress? sender)
    {
        if (!_enabled)
        {
            _router.Bounce(stanza, StanzaRouter.RemoteDomainRefused);
            return;
        }

        if (!Jid.TryParse(stanza.To, out var to) || to.Local is not null || to.Resource is not null)
        {
            _router.Bounce(stanza, StanzaError.ServiceUnavailable()); // the service has no users nor resources
            return;
        }

        if (stanza.Name == Stanza.Iq && NodeOf(stanza) is { Length: > 0 } node)
        {
            _router.SendToGrain<IPubSubNodeGrain, Element>(NodeKey.Of(Domain, node), stanza, static (grain, stanzas) => grain.HandleAsync(stanzas));
        }
        else
        {
            _router.SendToGrain<IPubSubServiceGrain, Element>(Domain, stanza, static (service, stanzas) => service.HandleAsync(stanzas));
        }
    }

    /// <summary>The node a request is about: the 'node' of its action (XEP-0060) or of its disco query.</summary>
    public static string? NodeOf(Element iq)
    {
        var payload = iq.FirstElement();
        if (payload is null)
        {
            return null;
        }

        if (payload.Namespace is Namespaces.DiscoInfo or Namespaces.DiscoItems)
        {
            return payload.GetAttribute("node");
        }

        if (payload.Namespace is Namespaces.PubSub or Namespaces.PubSubOwner)
        {
            return payload.Elements().Select(e => e.GetAttribute("node")).FirstOrDefault(n => !string.IsNullOrEmpty(n));
        }

        return null;
    }
}
