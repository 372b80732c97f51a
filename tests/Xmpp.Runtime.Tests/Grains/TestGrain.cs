using Microsoft.Extensions.Logging;
using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests.Grains;

public interface ITestGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task AppendAsync(int value);

    [OneWay]
    Task AppendOneWayAsync(int value);

    Task<IReadOnlyList<int>> GetLogAsync();

    /// <summary>Awaits inside the turn and tracks how many calls are inside at once.</summary>
    Task SlowAsync();

    Task<int> GetMaxConcurrencyAsync();

    /// <summary>Calls another grain and awaits it inside this turn.</summary>
    Task<int> CallOtherAsync(string otherKey);

    /// <summary>Awaits the probe's gate.</summary>
    Task<int> WaitForGateAsync();

    Task<string> PingAsync();

    Task ThrowAsync(string message);

    Task<int> ThrowSynchronously();

    ValueTask<int> GetValueTaskAsync(bool yield);

    ValueTask PingValueTaskAsync(bool yield);

    Task DeactivateSoonAsync();

    Task DelayDeactivationAsync(TimeSpan period);

    [OneWay]
    Task OneWayGatedThenThrowAsync();

    /// <summary>Calls the first grain of the path with the rest of it, and awaits; "pong" at the end.</summary>
    Task<string> RelayAsync(string[] path);
}

public sealed class TestGrain : Grain, ITestGrain
{
    private readonly Probe _probe;
    private readonly List<int> _log = [];
    private int _counter;
    private int _inside;
    private int _maxInside;

    public TestGrain(Probe probe, ILogger<TestGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _probe = probe;
        var key = GetPrimaryKeyString();
        probe.KeysSeenInConstructor.Enqueue(key);
        Probe.Increment(probe.Constructed, key);
        probe.Record($"{key}:ctor");
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Probe.Increment(_probe.Activated, GetPrimaryKeyString());
        _probe.Record($"{GetPrimaryKeyString()}:activate");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _probe.Deactivations.Enqueue((GetPrimaryKeyString(), reason));
        _probe.Record($"{GetPrimaryKeyString()}:deactivate:{reason}");
        return Task.CompletedTask;
    }

    public Task<int> IncrementAsync()
    {
        _probe.Record($"{GetPrimaryKeyString()}:increment");
        return Task.FromResult(++_counter);
    }

    public Task AppendAsync(int value)
    {
        _log.Add(value);
        return Task.CompletedTask;
    }

    public Task AppendOneWayAsync(int value) => AppendAsync(value);

    public Task<IReadOnlyList<int>> GetLogAsync() => Task.FromResult<IReadOnlyList<int>>([.. _log]);

    public async Task SlowAsync()
    {
        var inside = Interlocked.Increment(ref _inside);
        _maxInside = Math.Max(_maxInside, inside);
        await Task.Delay(1);
        await Task.Yield();
        Interlocked.Decrement(ref _inside);
    }

    public Task<int> GetMaxConcurrencyAsync() => Task.FromResult(_maxInside);

    public async Task<int> CallOtherAsync(string otherKey)
    {
        _probe.Record($"{GetPrimaryKeyString()}:call-other:start");
        var result = await GrainFactory.GetGrain<ITestGrain>(otherKey).WaitForGateAsync();
        _probe.Record($"{GetPrimaryKeyString()}:call-other:end");
        return result;
    }

    public async Task<int> WaitForGateAsync()
    {
        _probe.Record($"{GetPrimaryKeyString()}:gate:waiting");
        await _probe.Gate;
        _probe.Record($"{GetPrimaryKeyString()}:gate:passed");
        return 42;
    }

    public Task<string> PingAsync()
    {
        _probe.Record($"{GetPrimaryKeyString()}:ping");
        return Task.FromResult("pong");
    }

    public async Task ThrowAsync(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    public Task<int> ThrowSynchronously() => throw new ArgumentException("sync");

    public async ValueTask<int> GetValueTaskAsync(bool yield)
    {
        if (yield)
        {
            await Task.Yield();
        }

        return ++_counter;
    }

    public async ValueTask PingValueTaskAsync(bool yield)
    {
        if (yield)
        {
            await Task.Yield();
        }

        _probe.Record($"{GetPrimaryKeyString()}:ping-valuetask");
    }

    public Task DelayDeactivationAsync(TimeSpan period)
    {
        DelayDeactivation(period);
        return Task.CompletedTask;
    }

    public Task DeactivateSoonAsync()
    {
        _probe.Record($"{GetPrimaryKeyString()}:deactivate-soon");
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task OneWayGatedThenThrowAsync()
    {
        _probe.Record($"{GetPrimaryKeyString()}:oneway:started");
        await _probe.Gate;
        _probe.Record($"{GetPrimaryKeyString()}:oneway:throwing");
        throw new InvalidOperationException("one-way boom");
    }

    public async Task<string> RelayAsync(string[] path)
    {
        _probe.Record($"{GetPrimaryKeyString()}:relay:{path.Length}");
        return path.Length == 0 ? "pong" : await GrainFactory.GetGrain<ITestGrain>(path[0]).RelayAsync(path[1..]);
    }
}
