using Microsoft.Extensions.Options;
using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Muc;

/// <summary>
/// The router's entry to the MUC service domain: stanzas to a room or occupant JID go to that
/// room's grain, stanzas to the service JID to the service grain. Stateless and cheap.
/// </summary>
public sealed class MucService : IDomainService
{
    private readonly IStanzaRouter _router;
    private readonly bool _enabled;

    public MucService(IStanzaRouter router, IOptions<XmppOptions> options)
    {
        _router = router;
        var xmpp = options.Value;
        Domain = xmpp.Muc.HostFor(xmpp.Domain);
        _enabled = xmpp.Muc.Enabled;
        // Like a Prosody component: listed by the server, named only when a name is configured.
        DiscoName = !_enabled ? null : xmpp.Muc.Name ?? string.Empty;
    }

    public string Domain { get; }

    public string? DiscoName { get; }

    public void Handle(Element stanza, SessionAddress? sender)
    {
        if (!_enabled)
        {
            _router.Bounce(stanza, StanzaRouter.RemoteDomainRefused); // a disabled service is just another unknown domain
            return;
        }

        if (!Jid.TryParse(stanza.To, out var to))
        {
            _router.Bounce(stanza, StanzaError.JidMalformed());
            return;
        }

        if (to.Local is null)
        {
            _router.SendToGrain<IMucServiceGrain, Element>(Domain, stanza, static (service, stanzas) => service.HandleAsync(stanzas));
        }
        else
        {
            _router.SendToGrain<IRoomGrain, RoutedStanza>(to.Bare.ToString(), new RoutedStanza(stanza, sender), static (room, stanzas) => room.HandleAsync(stanzas));
        }
    }
}
