using Microsoft.Extensions.Options;
using Xmpp.Grains.Users;

namespace Xmpp.Grains.Routing;

/// <summary>
/// Chooses the owner of a stanza's 'to' address: accounts of the served domain go to their
/// UserGrain, the domain itself and components to their <see cref="IDomainService"/>. There is
/// no server-to-server link, so other domains are refused with <see cref="RemoteDomainRefused"/>.
/// </summary>
public sealed class StanzaRouter : IStanzaRouter
{
    private readonly IGrainFactory _grains;
    private readonly string _domain;
    private readonly Lazy<Dictionary<string, IDomainService>> _services;

    public StanzaRouter(IGrainFactory grains, IOptions<XmppOptions> options, Lazy<IEnumerable<IDomainService>> services)
    {
        _grains = grains;
        _domain = options.Value.Domain;

        // Lazy: services route their replies through this router, so they are built after it.
        _services = new Lazy<Dictionary<string, IDomainService>>(
            () => services.Value.ToDictionary(s => s.Domain, StringComparer.Ordinal));
    }

    public void Route(Element stanza)
    {
        if (!Jid.TryParse(stanza.To, out var to))
        {
            Bounce(stanza, StanzaError.JidMalformed());
            return;
        }

        if (to.Domain == _domain && to.Local is not null)
        {
            _grains.GetGrain<IUserGrain>(to.Bare.ToString()).DeliverAsync(stanza);
        }
        else if (_services.Value.TryGetValue(to.Domain, out var service))
        {
            service.Handle(stanza);
        }
        else
        {
            Bounce(stanza, RemoteDomainRefused);
        }
    }

    /// <summary>Prosody's answer for a domain it cannot reach because server-to-server is off.</summary>
    public static StanzaError RemoteDomainRefused { get; } = StanzaError.NotAllowed("Communication with remote domains is not enabled");

    public void Bounce(Element stanza, StanzaError error)
    {
        if (Stanza.MayBounce(stanza) && stanza.From is not null)
        {
            Route(Stanza.ErrorReply(stanza, error));
        }
    }
}
