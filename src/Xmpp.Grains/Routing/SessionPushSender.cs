using Microsoft.Extensions.Logging;

namespace Xmpp.Grains.Routing;

/// <summary>
/// Sends this silo's pushes for sessions of other silos to their hubs: one ordered delivery per
/// hub (<see cref="OrderedDelivery{T}"/>), so the pushes of every grain here reach each remote
/// session in the order they were made, batched while a call is in flight.
/// </summary>
public sealed class SessionPushSender : IDisposable
{
    private readonly DeliveryTable<ISessionHub, SessionPush> _hubs;

    public SessionPushSender(UndeliveredPushes undelivered, ILogger<SessionPushSender> logger) =>
        _hubs = new(hub => new OrderedDelivery<SessionPush>(
            hub.PushAsync,
            (pushes, e) =>
            {
                // The hub's silo is gone or unreachable, and with it (as far as anyone here can
                // tell) the connections of these sessions: their accounts end them and handle
                // what they missed as undelivered.
                logger.LogWarning(e, "{Count} pushes to the sessions of another silo did not arrive; their stanzas go back to their accounts", pushes.Count);
                foreach (var push in pushes)
                {
                    undelivered.Return(push);
                }
            },
            sizeOf: SizeOf));

    /// <summary>A push's estimated size: its stanzas, its addressing.</summary>
    private static int SizeOf(SessionPush push) => (push.Stanzas is { } stanzas ? ElementSize.Estimate(stanzas) : 0) + push.FullJid.Length + 128;

    /// <summary>
    /// Queues the pushes for the hub's silo, to go in one call after those queued before; the task
    /// completes once they (and everything queued for that hub before them) were handed over.
    /// </summary>
    public Task Send(ISessionHub hub, IReadOnlyList<SessionPush> pushes) => _hubs.EnqueueAll(hub, pushes).WhenDrainedAsync();

    /// <summary>
    /// As <see cref="Send"/>, for a sender that can wait (a room): the task completes at once
    /// unless more than a full call's worth waits for that hub, that is, unless the hub's silo takes
    /// pushes more slowly than they come; then once they were handed over. A room that awaits it
    /// goes at the pace of its slowest silo instead of queueing without bound in this one.
    /// </summary>
    public Task SendPaced(ISessionHub hub, IReadOnlyList<SessionPush> pushes)
    {
        var delivery = _hubs.EnqueueAll(hub, pushes);
        return delivery.Waiting > OrderedDelivery<SessionPush>.MaxBatchItems ? delivery.WhenDrainedAsync() : Task.CompletedTask;
    }

    /// <summary>Completes once everything queued for the hub so far was handed over (or failed): for a call that must not overtake it.</summary>
    public Task WhenHandedOver(ISessionHub hub)
    {
        var handedOver = new List<Task>(1);
        using (DeliveryWatch.Watch(handedOver))
        {
            _hubs.EnqueueAll(hub, []);
        }

        return handedOver.Count == 0 ? Task.CompletedTask : handedOver[0];
    }

    public void Dispose() => _hubs.Dispose();
}
