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
public sealed class OrderedDelivery<T>
{
    private readonly Func<IReadOnlyList<T>, Task> _deliver;
    private readonly Action<IReadOnlyList<T>, Exception> _failed;
    private readonly Action<OrderedDelivery<T>>? _idle;
    private List<T> _waiting = [];
    private bool _sending;
    private bool _retired;
    private TaskCompletionSource? _drained;

    /// <param name="deliver">The grain call that hands over a batch, in order.</param>
    /// <param name="failed">What becomes of a batch whose call failed (the items are not lost silently).</param>
    /// <param name="idle">
    /// Called once nothing waits or is in flight; the instance then takes no more stanzas
    /// (<see cref="TryEnqueue"/> returns false), so its owner can drop it and make a new one.
    /// Null for an owner that keeps its instance for its whole life (a session, a room).
    /// </param>
    public OrderedDelivery(Func<IReadOnlyList<T>, Task> deliver, Action<IReadOnlyList<T>, Exception> failed, Action<OrderedDelivery<T>>? idle = null)
    {
        _deliver = deliver;
        _failed = failed;
        _idle = idle;
    }

    /// <summary>Queues the item behind those sent before it; false when this instance was retired.</summary>
    public bool TryEnqueue(T item) => TryEnqueue([item]);

    /// <summary>Queues the items, in order, behind those sent before them, to go in one call; false when this instance was retired.</summary>
    public bool TryEnqueue(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (this)
        {
            if (_retired)
            {
                return false;
            }

            _waiting.AddRange(items);
            if (_sending)
            {
                return true;
            }

            _sending = true;
        }

        if (TaskScheduler.Current == TaskScheduler.Default)
        {
            // Outside any grain (a session's read loop): the call only queues a message, so it is
            // made right here; the pump goes on wherever the answer completes.
            _ = PumpAsync();
        }
        else
        {
            // In a grain's turn: the calls must not run on the grain's scheduler (their answers
            // would wait for its turns, and outlive its activation), so the pump starts on the pool.
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.PumpAsync(), this, preferLocal: true);
        }

        return true;
    }

    /// <summary>Completes when every item enqueued so far has been handed over (or has failed).</summary>
    public Task WhenDrainedAsync()
    {
        lock (this)
        {
            return _sending ? (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
        }
    }

    private async Task PumpAsync()
    {
        TaskCompletionSource? drained;
        while (true)
        {
            List<T> batch;
            lock (this)
            {
                if (_waiting.Count == 0)
                {
                    _sending = false;
                    _retired = _idle is not null;
                    drained = _drained;
                    _drained = null;
                    break;
                }

                batch = _waiting;
                _waiting = [];
            }

            try
            {
                await _deliver(batch);
            }
            catch (Exception e)
            {
                _failed(batch, e);
            }
        }

        drained?.TrySetResult();
        _idle?.Invoke(this);
    }
}
