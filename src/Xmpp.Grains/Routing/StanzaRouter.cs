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
    private readonly DeliveryTable<string, Element> _accounts;

    // The deliveries to grains of other kinds (rooms, the MUC service), one table per grain
    // interface: a DeliveryTable<string, TStanza> of the stanza type that interface takes.
    private readonly ConcurrentDictionary<Type, IDeliveryTable> _grainDeliveries = new();

    public StanzaRouter(
        IGrainFactory grains,
        UserRelay relay,
        UserRelaySender relays,
        IOptions<XmppOptions> options,
        Lazy<IEnumerable<IDomainService>> services,
        ILogger<StanzaRouter> logger)
    {
        _grains = grains;
        _logger = logger;
        _domain = options.Value.Domain;
        _accounts = new DeliveryTable<string, Element>(account =>
        {
            var route = new AccountRoute(account, grains.GetGrain<IUserGrain>(account), relay, relays);
            return new OrderedDelivery<Element>(
                route.DeliverAsync,
                (stanzas, e) => DeliveryFailed(typeof(IUserGrain), account, stanzas, e),
                () => route.GoesThroughRelay,
                ElementSize.Estimate);
        });

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
            _accounts.Enqueue(to.Bare.ToString(), stanza);
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
        if (BounceOf(stanza, error) is { } reply)
        {
            Route(reply);
        }
    }

    /// <summary>The error reply that bounces <paramref name="stanza"/>, or null when it may not be answered.</summary>
    public static Element? BounceOf(Element stanza, StanzaError error) =>
        Stanza.MayBounce(stanza) && stanza.From is not null ? Stanza.ErrorReply(stanza, error) : null;

    public void SendToGrain<TGrain, TStanza>(string key, TStanza stanza, Func<TGrain, IReadOnlyList<TStanza>, Task> handOver)
        where TGrain : IGrainWithStringKey
        where TStanza : class
    {
        var table = (DeliveryTable<string, TStanza>)_grainDeliveries.GetOrAdd(
            typeof(TGrain),
            static (_, state) => new DeliveryTable<string, TStanza>(key =>
            {
                var grain = state.Router._grains.GetGrain<TGrain>(key);
                return new OrderedDelivery<TStanza>(
                    stanzas => state.HandOver(grain, stanzas),
                    (stanzas, e) => state.Router.DeliveryFailed(typeof(TGrain), key, [.. stanzas.Select(StanzaOf)], e),
                    sizeOf: static stanza => ElementSize.Estimate(StanzaOf(stanza)));
            }),
            (Router: this, HandOver: handOver));
        table.Enqueue(key, stanza);
    }

    private static Element StanzaOf<TStanza>(TStanza stanza) =>
        stanza as Element ?? (stanza as RoutedStanza)?.Stanza ?? throw new ArgumentException($"{typeof(TStanza)} is not a stanza", nameof(stanza));

    /// <summary>The grain call failed (its silo died, it timed out): the senders hear of it, nothing vanishes.</summary>
    private void DeliveryFailed(Type grain, string key, IReadOnlyList<Element> stanzas, Exception e)
    {
        _logger.LogWarning(e, "Delivering {Count} stanzas to {Grain} {Key} failed", stanzas.Count, grain.Name, key);
        foreach (var stanza in stanzas)
        {
            Bounce(stanza, StanzaError.InternalServerError("The recipient could not be reached"));
        }
    }

    public Task WhenDrainedAsync() =>
        Task.WhenAll(_grainDeliveries.Values.Select(table => table.WhenDrainedAsync()).Append(_accounts.WhenDrainedAsync()));

    public void Dispose()
    {
        _accounts.Dispose();
        foreach (var table in _grainDeliveries.Values)
        {
            table.Dispose();
        }
    }
}
