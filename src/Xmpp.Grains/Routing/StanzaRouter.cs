using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Grains.Users;

namespace Xmpp.Grains.Routing;

/// <summary>
/// Chooses the owner of a stanza's 'to' address: accounts of the served domain go to their
/// UserGrain, the domain itself and components to their <see cref="IDomainService"/>. There is
/// no server-to-server link, so other domains are refused with <see cref="RemoteDomainRefused"/>.
/// </summary>
public sealed class StanzaRouter : IStanzaRouter, IDisposable
{
    /// <summary>A delivery to a grain unused for this long (between two sweeps at least) is dropped.</summary>
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(30);

    private readonly IGrainFactory _grains;
    private readonly ILogger<StanzaRouter> _logger;
    private readonly string _domain;
    private readonly Lazy<Dictionary<string, IDomainService>> _services;

    // One ordered delivery per grain that stanzas are on their way to (an OrderedDelivery<Element>
    // or <RoutedStanza>, by the grain's interface); swept when unused.
    private readonly ConcurrentDictionary<(Type Grain, string Key), IRetirable> _deliveries = new();
    private readonly Timer _sweep;

    public StanzaRouter(IGrainFactory grains, IOptions<XmppOptions> options, Lazy<IEnumerable<IDomainService>> services, ILogger<StanzaRouter> logger)
    {
        _grains = grains;
        _logger = logger;
        _domain = options.Value.Domain;
        using (ExecutionContext.SuppressFlow())
        {
            _sweep = new Timer(static router => RetirableSweep.Sweep(((StanzaRouter)router!)._deliveries), this, SweepPeriod, SweepPeriod);
        }

        // Lazy: services route their replies through this router, so they are built after it.
        _services = new Lazy<Dictionary<string, IDomainService>>(
            () => services.Value.ToDictionary(s => s.Domain, StringComparer.Ordinal));
    }

    public void Route(Element stanza, SessionAddress? sender = null)
    {
        if (!Jid.TryParse(stanza.To, out var to))
        {
            Bounce(stanza, StanzaError.JidMalformed());
            return;
        }

        if (to.Domain == _domain && to.Local is not null)
        {
            SendToGrain<IUserGrain, Element>(to.Bare.ToString(), stanza, static (user, stanzas) => user.DeliverAsync(stanzas));
        }
        else if (_services.Value.TryGetValue(to.Domain, out var service))
        {
            service.Handle(stanza, sender);
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

    public void SendToGrain<TGrain, TStanza>(string key, TStanza stanza, Func<TGrain, IReadOnlyList<TStanza>, Task> handOver)
        where TGrain : IGrainWithStringKey
        where TStanza : class
    {
        var id = (typeof(TGrain), key);
        while (true)
        {
            var delivery = (OrderedDelivery<TStanza>)_deliveries.GetOrAdd(id, static (id, state) => state.Router.NewDelivery(id, state.HandOver), (Router: this, HandOver: handOver));
            if (delivery.TryEnqueue(stanza))
            {
                return;
            }

            _deliveries.TryRemove(new KeyValuePair<(Type, string), IRetirable>(id, delivery)); // retired meanwhile
        }
    }

    private OrderedDelivery<TStanza> NewDelivery<TGrain, TStanza>((Type Grain, string Key) id, Func<TGrain, IReadOnlyList<TStanza>, Task> handOver)
        where TGrain : IGrainWithStringKey
        where TStanza : class
    {
        var grain = _grains.GetGrain<TGrain>(id.Key);
        return new OrderedDelivery<TStanza>(
            stanzas => handOver(grain, stanzas),
            (stanzas, e) => DeliveryFailed(id, [.. stanzas.Select(StanzaOf)], e));
    }

    private static Element StanzaOf<TStanza>(TStanza stanza) =>
        stanza as Element ?? (stanza as RoutedStanza)?.Stanza ?? throw new ArgumentException($"{typeof(TStanza)} is not a stanza", nameof(stanza));

    /// <summary>The grain call failed (its silo died, it timed out): the senders hear of it, nothing vanishes.</summary>
    private void DeliveryFailed((Type Grain, string Key) id, IReadOnlyList<Element> stanzas, Exception e)
    {
        _logger.LogWarning(e, "Delivering {Count} stanzas to {Grain} {Key} failed", stanzas.Count, id.Grain.Name, id.Key);
        foreach (var stanza in stanzas)
        {
            Bounce(stanza, StanzaError.InternalServerError("The recipient could not be reached"));
        }
    }

    public void Dispose() => _sweep.Dispose();
}
