using System.Collections.Concurrent;

namespace Xmpp.Grains.Routing;

/// <summary>
/// One <see cref="OrderedDelivery{T}"/> per target (a grain, another silo) while the target is in
/// use: a steady flow reuses one instance, and one unused for a whole
/// <see cref="StanzaRouter.SweepPeriod"/> is dropped (<see cref="OrderedDelivery{T}.TryRetireIfUnused"/>).
/// </summary>
public sealed class DeliveryTable<TKey, T> : IDeliveryTable
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, OrderedDelivery<T>> _deliveries = new();
    private readonly Func<TKey, OrderedDelivery<T>> _create;
    private readonly Timer _sweep;

    /// <param name="create">Makes the delivery of a target that has none.</param>
    public DeliveryTable(Func<TKey, OrderedDelivery<T>> create)
    {
        _create = create;
        using (ExecutionContext.SuppressFlow())
        {
            _sweep = new Timer(static table => ((DeliveryTable<TKey, T>)table!).Sweep(), this, StanzaRouter.SweepPeriod, StanzaRouter.SweepPeriod);
        }
    }

    /// <summary>Queues the item for the target, behind what was queued for it before; returns the delivery that took it.</summary>
    public OrderedDelivery<T> Enqueue(TKey key, T item) =>
        Enqueue(key, item, static (delivery, item) => delivery.TryEnqueue(item));

    /// <summary>Queues the items for the target, in order, to go in one call; returns the delivery that took them.</summary>
    public OrderedDelivery<T> EnqueueAll(TKey key, IReadOnlyList<T> items) =>
        Enqueue(key, items, static (delivery, items) => delivery.TryEnqueue(items));

    /// <summary>Completes when everything queued so far, for every target, was handed over (or failed).</summary>
    public Task WhenDrainedAsync() => Task.WhenAll(_deliveries.Values.Select(d => d.WhenDrainedAsync()));

    public void Dispose() => _sweep.Dispose();

    private OrderedDelivery<T> Enqueue<TItems>(TKey key, TItems items, Func<OrderedDelivery<T>, TItems, bool> tryEnqueue)
    {
        while (true)
        {
            var delivery = _deliveries.GetOrAdd(key, _create);
            if (tryEnqueue(delivery, items))
            {
                return delivery;
            }

            _deliveries.TryRemove(new KeyValuePair<TKey, OrderedDelivery<T>>(key, delivery)); // retired meanwhile
        }
    }

    private void Sweep()
    {
        foreach (var entry in _deliveries)
        {
            if (entry.Value.TryRetireIfUnused())
            {
                _deliveries.TryRemove(entry);
            }
        }
    }
}

/// <summary>A <see cref="DeliveryTable{TKey, T}"/> whatever its types, for an owner that keeps several.</summary>
public interface IDeliveryTable : IDisposable
{
    /// <summary>Completes when everything queued so far, for every target, was handed over (or failed).</summary>
    Task WhenDrainedAsync();
}
