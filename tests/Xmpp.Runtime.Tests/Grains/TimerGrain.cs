using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task StartAsync(int periodMs, bool throwOnTick);

    Task StopAsync();

    Task<int> GetTicksAsync();

    Task<int> GetMaxConcurrencyAsync();

    Task SlowAsync();

    Task DeactivateSoonAsync();
}

/// <summary>A timer whose ticks share an in-grain concurrency counter with calls.</summary>
public sealed class TimerGrain(Probe probe) : Grain, ITimerGrain
{
    private IDisposable? _timer;
    private int _ticks;
    private int _inside;
    private int _maxInside;

    public Task StartAsync(int periodMs, bool throwOnTick)
    {
        _timer = RegisterGrainTimer(
            async _ =>
            {
                await InsideAsync();
                _ticks++;
                probe.Record($"{GetPrimaryKeyString()}:tick");
                if (throwOnTick)
                {
                    throw new InvalidOperationException("tick failed");
                }
            },
            TimeSpan.FromMilliseconds(periodMs),
            TimeSpan.FromMilliseconds(periodMs));
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task<int> GetTicksAsync() => Task.FromResult(_ticks);

    public Task<int> GetMaxConcurrencyAsync() => Task.FromResult(_maxInside);

    public Task SlowAsync() => InsideAsync();

    public Task DeactivateSoonAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private async Task InsideAsync()
    {
        var inside = Interlocked.Increment(ref _inside);
        _maxInside = Math.Max(_maxInside, inside);
        await Task.Delay(1);
        Interlocked.Decrement(ref _inside);
    }
}
