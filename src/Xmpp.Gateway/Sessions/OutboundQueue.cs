using System.Threading.Tasks.Sources;

namespace Xmpp.Gateway.Sessions;

/// <summary>
/// A session's send queue: many producers (grains, the read loop, the heartbeat), one consumer
/// (the writer loop). Unlike a Channel, it allocates nothing until something is queued and keeps
/// no preallocated segment, which matters for the thousands of idle sessions a server holds.
/// <para>
/// A writer waiting for items is resumed by the producer that queues the first one, on the
/// producer's thread (usually a grain's turn, which then ends with the socket write): a hand-off
/// to a pool thread costs a thread wake-up per delivery, which at everyday load was half the
/// server's latency (p99 at 2,000 msg/s 0.6–0.8 ms handing off, 0.4–0.46 ms inline; docs/BENCHMARKS.md).
/// The writer therefore awaits with ConfigureAwait(false) throughout, so that none of its
/// continuations is tied to the scheduler of the grain that happened to resume it; a write that
/// has to wait (a full socket buffer) resumes on the thread pool. Completion resumes it on the pool.
/// </para>
/// </summary>
internal sealed class OutboundQueue : IValueTaskSource<bool>
{
    private readonly Lock _lock = new();
    private readonly Queue<OutboundItem> _items = new(); // no storage until the first item
    private ManualResetValueTaskSourceCore<bool> _signal = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _completed;

    /// <summary>Queues an item; false once the queue is completed.</summary>
    public bool TryWrite(in OutboundItem item)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return false;
            }

            _items.Enqueue(item);
            if (!_waiting)
            {
                return true;
            }

            _waiting = false;
            _signal.RunContinuationsAsynchronously = false; // the writer runs on this thread (see the summary)
        }

        _signal.SetResult(true);
        return true;
    }

    public bool TryRead(out OutboundItem item)
    {
        lock (_lock)
        {
            return _items.TryDequeue(out item);
        }
    }

    /// <summary>True when an item can be read; false when the queue is completed and drained. One waiter at a time.</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_lock)
        {
            if (_items.Count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            _signal.Reset();
            _waiting = true;
            return new ValueTask<bool>(this, _signal.Version);
        }
    }

    /// <summary>No more items will be accepted; a waiting reader learns it once the queue is drained.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
            _signal.RunContinuationsAsynchronously = true;
        }

        _signal.SetResult(false);
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _signal.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _signal.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _signal.OnCompleted(continuation, state, token, flags);
}
