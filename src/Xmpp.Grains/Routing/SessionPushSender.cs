using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Xmpp.Grains.Routing;

/// <summary>
/// Sends this silo's pushes for sessions of other silos to their hubs: one ordered delivery per
/// hub (<see cref="OrderedDelivery{T}"/>), so the pushes of every grain here reach each remote
/// session in the order they were made, batched while a call is in flight.
/// </summary>
public sealed class SessionPushSender : IDisposable
{
    private readonly ConcurrentDictionary<ISessionHub, OrderedDelivery<SessionPush>> _hubs = new();
    private readonly ILogger<SessionPushSender> _logger;
    private readonly Timer _sweep;

    public SessionPushSender(ILogger<SessionPushSender> logger)
    {
        _logger = logger;
        using (ExecutionContext.SuppressFlow())
        {
            _sweep = new Timer(static sender => RetirableSweep.Sweep(((SessionPushSender)sender!)._hubs), this, StanzaRouter.SweepPeriod, StanzaRouter.SweepPeriod);
        }
    }

    /// <summary>
    /// Queues the pushes for the hub's silo, to go in one call after those queued before; the task
    /// completes once they (and everything queued for that hub before them) were handed over.
    /// </summary>
    public Task Send(ISessionHub hub, IReadOnlyList<SessionPush> pushes)
    {
        while (true)
        {
            var delivery = _hubs.GetOrAdd(hub, static (hub, self) => self.NewDelivery(hub), this);
            if (delivery.TryEnqueue(pushes))
            {
                return delivery.WhenDrainedAsync();
            }

            _hubs.TryRemove(new KeyValuePair<ISessionHub, OrderedDelivery<SessionPush>>(hub, delivery)); // retired meanwhile
        }
    }

    public void Dispose() => _sweep.Dispose();

    private OrderedDelivery<SessionPush> NewDelivery(ISessionHub hub) => new(
        hub.PushAsync,
        // The hub's silo is gone or unreachable, and with it the connections of these sessions.
        (pushes, e) => _logger.LogWarning(e, "{Count} pushes to the sessions of another silo were lost", pushes.Count));
}
