using Microsoft.Extensions.Logging;

namespace Xmpp.Runtime.Internal;

/// <summary>
/// One activation of a grain: its mailbox and the loop that runs it one turn at a time.
/// </summary>
/// <remarks>
/// <para>The mailbox is a queue under a private lock that is never held across user code. Whoever
/// enqueues into an idle mailbox schedules the loop on the thread pool (one hop per burst, not
/// one per call, and no thread per grain). The loop takes one item, starts its turn and, when
/// the turn's task completes synchronously, goes straight on to the next; otherwise it hooks a
/// continuation on the task and returns its thread. The next item starts only when the previous
/// turn's task has completed: no interleaving, no reentrancy.</para>
/// <para>Lifecycle: the first item of every activation is its activation (construct the grain,
/// read its states, OnActivateAsync). Deactivation is a priority item that runs after the current
/// turn; when it is done the activation leaves the directory under the mailbox lock, and the calls
/// still queued are handed, in order, to a new activation that is already in the directory, so a
/// new activation never runs while the old one is deactivating and callers never spin.</para>
/// </remarks>
internal sealed class Activation : IThreadPoolWorkItem, IGrainContext
{
    private readonly Lock _lock = new();
    private readonly Queue<Entry> _queue = new();
    private readonly Action _onTurnCompleted;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guarded by _lock.
    private Status _status;
    private bool _running;
    private IWorkItem? _priority;
    private IWorkItem? _current;
    private long _currentEnqueuedAt;
    private List<GrainTimer>? _timers;

    // Owned by the loop (one turn at a time).
    private Task? _turnTask;
    private bool _deactivateRequested;
    private Grain? _grain;
    private DeactivationReason _deactivationReason;

    private long _lastActivity = Environment.TickCount64;

    // Idle collection leaves the activation alone until then (TickCount64; long.MaxValue: until cancelled).
    private long _keepAliveUntil;

    public Activation(GrainType type, string key)
    {
        GrainType = type;
        Key = key;
        _onTurnCompleted = OnTurnCompleted;
        _queue.Enqueue(new Entry(ActivateItem.Instance, Environment.TickCount64));
    }

    private enum Status
    {
        Created,
        Active,
        Deactivating,
        Deactivated,
    }

    public GrainType GrainType { get; }

    public string Key { get; }

    public IGrainFactory GrainFactory => GrainType.Runtime;

    public ILogger Logger => GrainType.Logger;

    /// <summary>The reference handed out by GetGrain while this activation lives (saves a proxy per GetGrain).</summary>
    public object? Reference { get; set; }

    /// <summary>The grain instance; only valid inside a turn.</summary>
    public object GrainInstance => _grain ?? throw new InvalidOperationException("The grain is not activated.");

    /// <summary>Completes when the activation has left the directory.</summary>
    public Task Deactivated => _deactivated.Task;

    /// <summary>Queues an item; false when this activation is gone (the caller looks up the directory again).</summary>
    public bool TryEnqueue(IWorkItem item)
    {
        var now = Environment.TickCount64;
        bool schedule;
        lock (_lock)
        {
            if (_status == Status.Deactivated)
            {
                return false;
            }

            _queue.Enqueue(new Entry(item, now));
            schedule = !_running;
            _running = true;
        }

        if (item.KeepsAlive)
        {
            _lastActivity = now;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return true;
    }

    /// <summary>Loads calls forwarded from the previous activation of this key, before it is visible.</summary>
    private void Preload(List<Entry> entries)
    {
        foreach (var entry in entries)
        {
            _queue.Enqueue(entry);
        }

        _running = true;
    }

    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            Run();
        }
        catch (Exception e)
        {
            // Only a runtime bug gets here (user code is caught per turn); keep the process alive.
            Logger.LogCritical(e, "The mailbox loop of grain {GrainType}/{Key} failed", GrainType.Name, Key);
        }
    }

    private void Run()
    {
        // Bounded so that a busy grain yields its thread now and then.
        for (var budget = 32; budget > 0; budget--)
        {
            IWorkItem item;
            lock (_lock)
            {
                if (_priority is not null)
                {
                    item = _priority;
                    _priority = null;
                    _currentEnqueuedAt = Environment.TickCount64;
                }
                else if (_queue.TryDequeue(out var entry))
                {
                    item = entry.Item;
                    _currentEnqueuedAt = entry.EnqueuedAt;
                }
                else
                {
                    _running = false;
                    return;
                }

                _current = item;
            }

            if (!item.IsPending)
            {
                continue;
            }

            Task turn;
            try
            {
                turn = item.Start(this) ?? Task.FromException(new InvalidOperationException("A grain method returned a null task."));
            }
            catch (Exception e)
            {
                turn = Task.FromException(e);
            }

            if (!turn.IsCompleted)
            {
                _turnTask = turn;
                turn.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onTurnCompleted);
                return;
            }

            if (!EndTurn(item, turn))
            {
                return;
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>
    /// Runs on the thread that completed the turn's task, which may be inside someone else's code
    /// (another grain's turn that set a result): answer the caller here, but continue the mailbox
    /// on the pool rather than borrow that thread for more turns.
    /// </summary>
    private void OnTurnCompleted()
    {
        try
        {
            var turn = _turnTask!;
            _turnTask = null;
            if (!EndTurn(_current!, turn))
            {
                return;
            }

            lock (_lock)
            {
                if (_priority is null && _queue.Count == 0)
                {
                    _running = false;
                    return;
                }
            }

            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
        catch (Exception e)
        {
            Logger.LogCritical(e, "The mailbox loop of grain {GrainType}/{Key} failed", GrainType.Name, Key);
        }
    }

    /// <summary>Answers the item and applies what the turn asked for; false when the loop must stop for good.</summary>
    private bool EndTurn(IWorkItem item, Task turn)
    {
        _current = null;
        if (item.KeepsAlive)
        {
            _lastActivity = Environment.TickCount64;
        }

        try
        {
            item.Complete(this, turn);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Completing a work item of grain {GrainType}/{Key} failed", GrainType.Name, Key);
        }

        // Retire runs on this loop, inside Complete, so no fence is needed to see it.
        if (_status == Status.Deactivated)
        {
            return false;
        }

        if (_deactivateRequested)
        {
            _deactivateRequested = false;
            BeginDeactivation(DeactivationReason.Requested, onlyIfIdle: false);
        }

        return true;
    }

    // ---- lifecycle ------------------------------------------------------------------------

    private async Task ActivateAsync()
    {
        var runtime = GrainType.Runtime;
        if (runtime.IsStopping)
        {
            throw new ObjectDisposedException(nameof(GrainRuntime), "The grain runtime is shut down.");
        }

        var services = new ActivationServices(runtime.Services, runtime.GetStorage, runtime.Options.StateSerializerOptions, Key);
        Grain grain;
        using (GrainContextScope.Enter(this))
        {
            grain = GrainType.Activator.Create(services);
        }

        foreach (var state in services.States)
        {
            await state.ReadStateAsync();
        }

        grain.Attach(this);
        _grain = grain;
        await grain.OnActivateAsync(runtime.StoppingToken);
    }

    private void OnActivationCompleted(Task turn)
    {
        if (turn.IsCompletedSuccessfully)
        {
            lock (_lock)
            {
                if (_status == Status.Created)
                {
                    _status = Status.Active;
                }
            }

            return;
        }

        var exception = turn.Exception?.InnerException ?? new TaskCanceledException("The activation was canceled.");
        Logger.LogError(exception, "Activation of grain {GrainType}/{Key} failed", GrainType.Name, Key);
        DisposeTimers();
        _grain = null;
        Retire(forward: false, exception);
    }

    /// <summary>
    /// Schedules deactivation as the next turn. With <paramref name="onlyIfIdle"/> (the idle
    /// collector) nothing happens unless the mailbox is empty and the activation has been idle.
    /// </summary>
    public bool BeginDeactivation(DeactivationReason reason, bool onlyIfIdle, long idleSinceTicks = 0)
    {
        bool schedule;
        lock (_lock)
        {
            if (onlyIfIdle)
            {
                if (_status != Status.Active || _running || _queue.Count != 0 || _lastActivity > idleSinceTicks
                    || Environment.TickCount64 < Volatile.Read(ref _keepAliveUntil))
                {
                    return false;
                }
            }
            else if (_status is Status.Deactivating or Status.Deactivated)
            {
                return false;
            }

            _status = Status.Deactivating;
            _priority = new DeactivateItem(reason);
            schedule = !_running;
            _running = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return true;
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        _deactivationReason = reason;
        DisposeTimers();
        if (_grain is { } grain)
        {
            await grain.OnDeactivateAsync(reason, GrainType.Runtime.StoppingToken);
        }
    }

    private void OnDeactivationCompleted(Task turn)
    {
        if (!turn.IsCompletedSuccessfully)
        {
            Logger.LogError(turn.Exception?.InnerException, "OnDeactivateAsync of grain {GrainType}/{Key} failed", GrainType.Name, Key);
        }

        Logger.LogDebug("Deactivated grain {GrainType}/{Key} ({Reason})", GrainType.Name, Key, _deactivationReason);
        _grain = null;
        Reference = null;
        Retire(forward: !GrainType.Runtime.IsStopping, failure: null);
    }

    /// <summary>
    /// Leaves the directory. Queued calls either move to a new activation (which takes this one's
    /// place in the directory atomically, so their order is kept) or fail.
    /// </summary>
    private void Retire(bool forward, Exception? failure)
    {
        List<Entry>? pending = null;
        Activation? next = null;
        lock (_lock)
        {
            _status = Status.Deactivated;
            _priority = null;
            while (_queue.TryDequeue(out var entry))
            {
                if (entry.Item.IsForwardable && entry.Item.IsPending)
                {
                    (pending ??= []).Add(entry);
                }
            }

            if (forward && pending is not null)
            {
                next = new Activation(GrainType, Key);
                next.Preload(pending);
                if (GrainType.Activations.TryUpdate(Key, next, this))
                {
                    pending = null;
                }
                else
                {
                    // Not ours to replace (cannot happen while the directory holds us): send them the usual way.
                    next = null;
                }
            }
            else
            {
                GrainType.Activations.TryRemove(new KeyValuePair<string, Activation>(Key, this));
            }
        }

        if (next is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(next, preferLocal: false);
        }
        else if (pending is not null && forward)
        {
            foreach (var entry in pending)
            {
                Activation? none = null;
                GrainType.Send(Key, entry.Item, ref none);
            }
        }
        else if (pending is not null)
        {
            var exception = failure ?? new ObjectDisposedException(nameof(GrainRuntime), "The grain runtime is shut down.");
            foreach (var entry in pending)
            {
                entry.Item.Fail(exception, Logger);
            }
        }

        _deactivated.TrySetResult();
    }

    // ---- called by the runtime's collector ----------------------------------------------

    /// <summary>Faults the calls whose caller has waited longer than the timeout.</summary>
    public void ExpireCalls(long now, long timeoutMs, TimeSpan timeout)
    {
        if (!Volatile.Read(ref _running))
        {
            return;
        }

        lock (_lock)
        {
            if (_current is { } current && now - _currentEnqueuedAt >= timeoutMs)
            {
                current.Expire(timeout);
            }

            foreach (var entry in _queue)
            {
                if (now - entry.EnqueuedAt < timeoutMs)
                {
                    break;
                }

                entry.Item.Expire(timeout);
            }
        }
    }

    // ---- IGrainContext --------------------------------------------------------------------

    void IGrainContext.DeactivateOnIdle() => _deactivateRequested = true;

    void IGrainContext.DelayDeactivation(TimeSpan period)
    {
        var until = period < TimeSpan.Zero ? 0
            : period.TotalMilliseconds >= long.MaxValue - Environment.TickCount64 ? long.MaxValue
            : Environment.TickCount64 + (long)period.TotalMilliseconds;
        Volatile.Write(ref _keepAliveUntil, until);
    }

    IDisposable IGrainContext.RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(this, callback, period);
        lock (_lock)
        {
            if (_status == Status.Deactivated)
            {
                throw new InvalidOperationException("The activation is deactivated.");
            }

            (_timers ??= []).Add(timer);
        }

        timer.Start(dueTime);
        return timer;
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers?.Remove(timer);
        }
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            if (_timers is null or { Count: 0 })
            {
                return;
            }

            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    public override string ToString() => $"{GrainType.Name}/{Key}";

    private readonly record struct Entry(IWorkItem Item, long EnqueuedAt);

    /// <summary>The first turn of every activation.</summary>
    private sealed class ActivateItem : IWorkItem
    {
        public static readonly ActivateItem Instance = new();

        public bool IsPending => true;

        public bool IsForwardable => false;

        public bool KeepsAlive => true;

        public Task Start(Activation activation) => activation.ActivateAsync();

        public void Complete(Activation activation, Task turn) => activation.OnActivationCompleted(turn);

        public void Fail(Exception exception, ILogger logger)
        {
        }

        public void Expire(TimeSpan timeout)
        {
        }
    }

    /// <summary>The last turn: timers off, OnDeactivateAsync, leave the directory.</summary>
    private sealed class DeactivateItem(DeactivationReason reason) : IWorkItem
    {
        public bool IsPending => true;

        public bool IsForwardable => false;

        public bool KeepsAlive => false;

        public Task Start(Activation activation) => activation.DeactivateAsync(reason);

        public void Complete(Activation activation, Task turn) => activation.OnDeactivationCompleted(turn);

        public void Fail(Exception exception, ILogger logger)
        {
        }

        public void Expire(TimeSpan timeout)
        {
        }
    }
}
