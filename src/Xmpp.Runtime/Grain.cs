namespace Xmpp.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime constructs the grain (constructor injection,
/// <see cref="PersistentStateAttribute"/> parameters loaded before the first turn), attaches its
/// context, calls <see cref="OnActivateAsync"/>, then runs calls one turn at a time.
/// </summary>
public abstract class Grain
{
    // Set while the runtime constructs the grain, so constructors can read their key.
    private IGrainContext? _context = Internal.GrainContextScope.Current;

    private IGrainContext Context => _context ?? throw new InvalidOperationException("The grain is not activated yet.");

    /// <summary>The key this activation was created for.</summary>
    public string GetPrimaryKeyString() => Context.Key;

    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>Deactivate after the current turn (the next call creates a new activation).</summary>
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();

    /// <summary>
    /// Keeps the activation from idle deactivation for at least <paramref name="period"/> (Orleans'
    /// semantics): for grains whose callers hold on to in-memory state without calling, such as a
    /// user's connected sessions. <see cref="TimeSpan.MaxValue"/> means until cancelled; a negative
    /// period cancels, returning the activation to the normal idle rule.
    /// </summary>
    protected void DelayDeactivation(TimeSpan period) => Context.DelayDeactivation(period);

    /// <summary>A timer whose callbacks run as turns of this grain; disposed with the activation.</summary>
    protected IDisposable RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        Context.RegisterTimer(callback, dueTime, period);

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    internal void Attach(IGrainContext context) => _context = context;
}
