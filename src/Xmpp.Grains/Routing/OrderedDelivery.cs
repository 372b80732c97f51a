namespace Xmpp.Grains.Routing;

/// <summary>
/// Hands items (stanzas, notices) to one grain in the order they were sent (for stanzas RFC 6120
/// §10.1 requires it). Orleans keeps the order of calls only when each is awaited before the next is
/// made: one-way calls, or calls racing the target's activation, may arrive in any order. So at most
/// one call is in flight; items sent meanwhile wait and go together in the next call, which under
/// load turns many grain calls into few. The calls are made from the thread pool, outside any
/// grain's turn: a sender never waits for a receiver, so grains that send to each other cannot
/// deadlock.
/// </summary>
/// <remarks>
/// A call carries at most <see cref="MaxBatchItems"/> items and, when the owner can size them,
/// about <see cref="MaxBatchBytes"/>: a receiver slower than its senders (a room's occupants on a
/// busy silo) would otherwise get ever larger calls, until one exceeds Orleans' message limit
/// (10 MB) and breaks the silos' connection. The rest waits for the next call.
/// An owner with many targets (the router, one per grain) keeps an instance while it is in use and
/// drops it through <see cref="TryRetireIfUnused"/> after a quiet sweep period
/// (<see cref="DeliveryTable{TKey, T}"/>), so a steady flow to
/// one target reuses one instance instead of making one per stanza.
/// A sender that must know when its items were handed over (not only when the queue ran dry, which
/// a busy target may never do) queues them within a <see cref="DeliveryWatch"/> scope.
/// </remarks>
public sealed class OrderedDelivery<T> : DeliveryStarts.IHeld
{
    /// <summary>The most items one call carries.</summary>
    public const int MaxBatchItems = 4096;

    /// <summary>About the most bytes one call carries (its first item goes whatever its size), a tenth of Orleans' message limit.</summary>
    public const int MaxBatchBytes = 1024 * 1024;

    /// <summary>
    /// Batches this small go without sizing their items: the common case (a few stanzas behind the
    /// call in flight) pays no size estimate per stanza, and a few stanzas, each within the
    /// gateway's stanza limit, stay far below Orleans' message limit.
    /// </summary>
    private const int UnsizedBatchItems = 8;

    private readonly Func<IReadOnlyList<T>, Task> _deliver;
    private readonly Action<IReadOnlyList<T>, Exception> _failed;
    private readonly Func<bool>? _mayStartInTurn;
    private readonly Func<T, int>? _sizeOf;
    private List<T> _waiting = [];
    private bool _sending;
    private bool _used;
    private bool _retired;
    private TaskCompletionSource? _drained;

    // How many items were ever queued and handed over (or failed), and who waits for the hand-over
    // of the items up to a count (DeliveryWatch), in the order they were queued: null while nobody does.
    private long _queued;
    private long _handedOver;
    private Queue<(long Count, TaskCompletionSource HandedOver)>? _watchers;

    /// <param name="deliver">The grain call that hands over a batch, in order.</param>
    /// <param name="failed">What becomes of a batch whose call failed (the items are not lost silently).</param>
    /// <param name="mayStartInTurn">
    /// True when <paramref name="deliver"/> makes no grain call but only hands the batch on (to another
    /// ordered delivery): it then starts within the sending grain's turn, so that what one turn sends
    /// to many targets reaches that next delivery together.
    /// </param>
    /// <param name="sizeOf">An item's estimated size in bytes (<see cref="ElementSize"/>), to bound a call by bytes as well as by count.</param>
    public OrderedDelivery(Func<IReadOnlyList<T>, Task> deliver, Action<IReadOnlyList<T>, Exception> failed, Func<bool>? mayStartInTurn = null, Func<T, int>? sizeOf = null)
    {
        _deliver = deliver;
        _failed = failed;
        _mayStartInTurn = mayStartInTurn;
        _sizeOf = sizeOf;
    }

    /// <summary>How many items wait behind the call in flight.</summary>
    public int Waiting
    {
        get
        {
            lock (this)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Queues the item behind those sent before it; false when this instance was retired.</summary>
    public bool TryEnqueue(T item) => TryEnqueue(item, null);

    /// <summary>Queues the items, in order, behind those sent before them, to go in one call; false when this instance was retired.</summary>
    public bool TryEnqueue(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return TryEnqueue(default!, items);
    }

    /// <summary>
    /// True (and no longer usable: <see cref="TryEnqueue(T)"/> returns false) when it was neither
    /// used nor busy since the previous call; otherwise false, and the next call decides.
    /// </summary>
    public bool TryRetireIfUnused()
    {
        lock (this)
        {
            _retired = !_used && !_sending;
            _used = false;
            return _retired;
        }
    }

    /// <summary>Queues <paramref name="items"/>, or <paramref name="item"/> when there are none (no array for one).</summary>
    private bool TryEnqueue(T item, IReadOnlyList<T>? items)
    {
        lock (this)
        {
            if (_retired)
            {
                return false;
            }

            if (items is null)
            {
                _waiting.Add(item);
                _queued++;
            }
            else
            {
                _waiting.AddRange(items);
                _queued += items.Count;
            }

            if (DeliveryWatch.Current is { } watch)
            {
                watch.Add(WhenHandedOverLocked(_queued));
            }

            _used = true;
            if (_sending)
            {
                return true;
            }

            _sending = true;
        }

        Pump();
        return true;
    }

    private void Pump()
    {
        if (!DeliveryStarts.TryHold(this))
        {
            StartPump();
        }
    }

    void DeliveryStarts.IHeld.Start() => StartPump();

    private void StartPump()
    {
        if (TaskScheduler.Current == TaskScheduler.Default || _mayStartInTurn?.Invoke() == true)
        {
            // Outside any grain (a session's read loop): the call only queues a message, so it is
            // made right here; the pump goes on wherever the answer completes (never on a grain's
            // scheduler: the awaits below do not come back to it).
            _ = PumpAsync();
        }
        else
        {
            // In a grain's turn: the calls must not run on the grain's scheduler (their answers
            // would wait for its turns, and outlive its activation), so the pump starts on the pool.
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.PumpAsync(), this, preferLocal: true);
        }
    }

    /// <summary>
    /// Takes the items that wait behind the call in flight: they will not be handed over here, but
    /// by the caller, elsewhere (a session resumed on another connection sends what its old one had
    /// not handed over yet). They count as handed over.
    /// </summary>
    public List<T> TakeWaiting()
    {
        lock (this)
        {
            var taken = _waiting;
            _waiting = [];
            HandedOverLocked(taken.Count);
            return taken;
        }
    }

    /// <summary>Completes when every item enqueued so far has been handed over (or has failed).</summary>
    public Task WhenDrainedAsync()
    {
        lock (this)
        {
            return _sending ? (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
        }
    }

    /// <summary>A task that completes once <paramref name="count"/> items in all were handed over (under the lock).</summary>
    private Task WhenHandedOverLocked(long count)
    {
        if (_handedOver >= count)
        {
            return Task.CompletedTask;
        }

        var handedOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_watchers ??= new()).Enqueue((count, handedOver));
        return handedOver.Task;
    }

    /// <summary>Counts a batch as handed over and lets go those who waited for it (under the lock).</summary>
    private void HandedOverLocked(int items)
    {
        _handedOver += items;
        if (_watchers is not { } watchers)
        {
            return;
        }

        while (watchers.TryPeek(out var watcher) && watcher.Count <= _handedOver)
        {
            watchers.Dequeue().HandedOver.TrySetResult();
        }

        if (watchers.Count == 0)
        {
            _watchers = null;
        }
    }

    private async Task PumpAsync()
    {
        TaskCompletionSource? drained;
        var handedOver = 0;
        while (true)
        {
            List<T> batch;
            lock (this)
            {
                if (handedOver > 0)
                {
                    HandedOverLocked(handedOver);
                }

                if (_waiting.Count == 0)
                {
                    _sending = false;
                    drained = _drained;
                    _drained = null;
                    break;
                }

                batch = TakeBatch();
                handedOver = batch.Count;
            }

            try
            {
                await _deliver(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                try
                {
                    _failed(batch, e);
                }
                catch (Exception) when (e is not OutOfMemoryException)
                {
                    // The failure handler failed too (it logs and bounces); the pump must go on
                    // regardless, or nothing would reach this target again.
                }
            }
        }

        drained?.TrySetResult();
    }

    /// <summary>The next call's items, from the front of the waiting ones (under the lock).</summary>
    private List<T> TakeBatch()
    {
        var count = Math.Min(_waiting.Count, MaxBatchItems);
        if (_sizeOf is not null && count > UnsizedBatchItems)
        {
            var bytes = _sizeOf(_waiting[0]);
            var taken = 1;
            while (taken < count && (bytes += _sizeOf(_waiting[taken])) <= MaxBatchBytes)
            {
                taken++;
            }

            count = taken;
        }

        if (count == _waiting.Count)
        {
            var all = _waiting;
            _waiting = [];
            return all;
        }

        var batch = _waiting.GetRange(0, count);
        _waiting.RemoveRange(0, count);
        return batch;
    }
}
