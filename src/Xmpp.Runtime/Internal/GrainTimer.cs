using Microsoft.Extensions.Logging;

namespace Xmpp.Runtime.Internal;

/// <summary>
/// A grain timer: each tick is queued to the activation as a turn. The next tick is armed only
/// after the callback's turn completed, so ticks never pile up. Ticks do not keep the activation
/// from idle deactivation, and deactivation disposes the timer.
/// </summary>
internal sealed class GrainTimer : IWorkItem, IDisposable
{
    private readonly Activation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly TimeSpan _period;
    private readonly Timer _timer;
    private readonly CancellationTokenSource _disposed = new();

    public GrainTimer(Activation activation, Func<CancellationToken, Task> callback, TimeSpan period)
    {
        _activation = activation;
        _callback = callback;
        _period = period;
        using (ExecutionContext.SuppressFlow())
        {
            _timer = new Timer(static state => ((GrainTimer)state!).OnTick(), this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    public bool IsPending => !_disposed.IsCancellationRequested;

    public bool IsForwardable => false;

    public bool KeepsAlive => false;

    public void Start(TimeSpan dueTime) => Arm(dueTime);

    private void Arm(TimeSpan dueTime)
    {
        try
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: no more ticks, as intended.
        }
    }

    private void OnTick()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        if (!_activation.TryEnqueue(this))
        {
            Dispose();
        }
    }

    public Task Start(Activation activation) => _callback(_disposed.Token);

    public void Complete(Activation activation, Task turn)
    {
        if (!turn.IsCompletedSuccessfully && !_disposed.IsCancellationRequested)
        {
            activation.Logger.LogError(turn.Exception?.InnerException, "Timer callback of grain {Grain} failed", activation);
        }

        if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan)
        {
            Arm(_period);
        }
    }

    public void Fail(Exception exception, ILogger logger)
    {
    }

    public void Expire(TimeSpan timeout)
    {
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }
}
