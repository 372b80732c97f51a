using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests.Grains;

public interface IFlakyGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();
}

/// <summary>Fails its construction or activation when the probe says so.</summary>
public sealed class FlakyGrain : Grain, IFlakyGrain
{
    private readonly Probe _probe;
    private int _counter;

    public FlakyGrain(Probe probe)
    {
        _probe = probe;
        Probe.Increment(probe.Constructed, GetPrimaryKeyString());
        if (probe.TakeConstructionFailure())
        {
            throw new InvalidOperationException("constructor failed");
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (_probe.TakeActivationFailure())
        {
            // Holds the failure until the test has queued all the calls it means to see faulted.
            await _probe.Gate;
            throw new InvalidOperationException("activation failed");
        }
    }

    public Task<int> IncrementAsync() => Task.FromResult(++_counter);
}
