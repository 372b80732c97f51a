using System.Collections.Concurrent;

namespace Xmpp.Runtime.Tests.Support;

/// <summary>A singleton the test grains report to, so tests can see inside activations.</summary>
public sealed class Probe
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failNextConstruction;
    private int _failNextActivation;

    public ConcurrentDictionary<string, int> Constructed { get; } = new();

    public ConcurrentDictionary<string, int> Activated { get; } = new();

    public ConcurrentQueue<(string Key, DeactivationReason Reason)> Deactivations { get; } = new();

    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>Makes the next construction of a flaky grain throw.</summary>
    public void FailConstructionOnce() => Volatile.Write(ref _failNextConstruction, 1);

    /// <summary>Makes the next activation of a flaky grain throw, once the gate opens.</summary>
    public void FailActivationOnce() => Volatile.Write(ref _failNextActivation, 1);

    public bool TakeConstructionFailure() => Interlocked.Exchange(ref _failNextConstruction, 0) == 1;

    public bool TakeActivationFailure() => Interlocked.Exchange(ref _failNextActivation, 0) == 1;

    /// <summary>What a grain's state looked like when OnActivateAsync ran.</summary>
    public ConcurrentQueue<string?> StateSeenOnActivate { get; } = new();

    /// <summary>What the grain constructor saw as its key.</summary>
    public ConcurrentQueue<string> KeysSeenInConstructor { get; } = new();

    /// <summary>A gate grains await; tests open it.</summary>
    public Task Gate => _gate.Task;

    public void OpenGate() => _gate.TrySetResult();

    public static int Count(ConcurrentDictionary<string, int> counter, string key) => counter.TryGetValue(key, out var n) ? n : 0;

    public static void Increment(ConcurrentDictionary<string, int> counter, string key) => counter.AddOrUpdate(key, 1, static (_, n) => n + 1);

    public void Record(string e) => Events.Enqueue(e);
}
