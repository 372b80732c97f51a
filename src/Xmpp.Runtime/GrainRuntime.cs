using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Runtime.Internal;
using Xmpp.Runtime.Storage;

namespace Xmpp.Runtime;

/// <summary>
/// The in-process silo: grain directory, activations, the idle/timeout collector, and shutdown.
/// Resolve it as <see cref="IGrainFactory"/>; registered by
/// <see cref="GrainRuntimeServiceCollectionExtensions.AddGrainRuntime"/>.
/// </summary>
public sealed class GrainRuntime : IGrainFactory, IAsyncDisposable, IDisposable
{
    private readonly FrozenDictionary<Type, GrainType> _types;
    private readonly IGrainStorage? _storage;
    private readonly ILogger _logger;
    private readonly ILogger _observerLogger;
    private readonly Timer _collector;
    private readonly long _idleTimeoutMs;
    private readonly long _idleCheckIntervalMs;
    private readonly long _callTimeoutMs;
    private readonly CancellationTokenSource _stopping = new();
    private long _lastIdleCheck = Environment.TickCount64;
    private int _collecting;
    private int _stopRequested;
    private Task? _stopTask;

    internal GrainRuntime(IServiceProvider services)
    {
        Services = services;
        Options = services.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value;
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        _logger = loggerFactory.CreateLogger<GrainRuntime>();
        _observerLogger = loggerFactory.CreateLogger("Xmpp.Runtime.Observers");

        // Resolved now so that the container disposes storage after the runtime, whose shutdown may still write.
        _storage = services.GetService<IGrainStorage>();

        var types = new Dictionary<Type, GrainType>();
        foreach (var registration in services.GetServices<GrainRegistration>())
        {
            if (types.ContainsKey(registration.InterfaceType))
            {
                throw new InvalidOperationException($"Grain interface {registration.InterfaceType} is registered twice.");
            }

            types.Add(registration.InterfaceType, new GrainType(this, registration, loggerFactory.CreateLogger(registration.ClassType)));
        }

        _types = types.ToFrozenDictionary();

        _idleTimeoutMs = ToMilliseconds(Options.IdleTimeout);
        _idleCheckIntervalMs = ToMilliseconds(Options.IdleCheckInterval);
        _callTimeoutMs = ToMilliseconds(Options.CallTimeout);
        var tick = Math.Min(_idleCheckIntervalMs, Math.Clamp(_callTimeoutMs / 4, 10, 1000));
        using (ExecutionContext.SuppressFlow())
        {
            _collector = new Timer(static state => ((GrainRuntime)state!).Collect(), this, tick, tick);
        }
    }

    internal GrainRuntimeOptions Options { get; }

    internal IServiceProvider Services { get; }

    internal bool IsStopping => Volatile.Read(ref _stopRequested) != 0;

    /// <summary>Canceled when shutdown's deadline has passed (given to OnActivateAsync / OnDeactivateAsync).</summary>
    internal CancellationToken StoppingToken => _stopping.Token;

    /// <summary>How many activations exist now (all grain types).</summary>
    public int ActivationCount => _types.Values.Sum(t => t.Activations.Count);

    internal IGrainStorage GetStorage() =>
        _storage ?? throw new InvalidOperationException(
            "A grain has [PersistentState] but no IGrainStorage is registered (AddInMemoryStorage or AddSqliteStorage).");

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_types.TryGetValue(typeof(TGrain), out var type))
        {
            throw new ArgumentException($"No grain class is registered for {typeof(TGrain)} (AddGrain<{typeof(TGrain).Name}, …>).", nameof(TGrain));
        }

        return (TGrain)type.GetReference(key);
    }

    /// <inheritdoc />
    public TObserver CreateObjectReference<TObserver>(TObserver observer)
        where TObserver : class, IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (!typeof(TObserver).IsInterface)
        {
            throw new ArgumentException("Observer references are made for interface types.", nameof(TObserver));
        }

        return (TObserver)ObserverProxy.Create(typeof(TObserver), observer, _observerLogger);
    }

    /// <inheritdoc />
    public void DeleteObjectReference<TObserver>(TObserver reference)
        where TObserver : class, IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(reference);
        (reference as ObserverProxy)?.Delete();
    }

    /// <summary>
    /// Deactivates every activation (reason <see cref="DeactivationReason.Shutdown"/>) and waits up
    /// to <see cref="GrainRuntimeOptions.ShutdownTimeout"/>. Calls made afterwards fail with
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0)
        {
            _stopTask = StopCoreAsync(cancellationToken);
        }

        return _stopTask ?? Task.CompletedTask;
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await _collector.DisposeAsync();
        var deadline = Task.Delay(Options.ShutdownTimeout, cancellationToken);

        // Two passes: an activation that a concurrent GetOrAdd put in the directory while the
        // first pass enumerated it is caught by the second.
        for (var pass = 0; pass < 2; pass++)
        {
            var pending = new List<Task>();
            foreach (var type in _types.Values)
            {
                foreach (var activation in type.Activations.Values)
                {
                    activation.BeginDeactivation(DeactivationReason.Shutdown, onlyIfIdle: false);
                    pending.Add(activation.Deactivated);
                }
            }

            var all = Task.WhenAll(pending);
            if (await Task.WhenAny(all, deadline) != all)
            {
                _logger.LogWarning("Shutdown timed out with {Count} activations still deactivating", pending.Count(t => !t.IsCompleted));
                await _stopping.CancelAsync();
                return;
            }
        }

        _logger.LogDebug("Grain runtime stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    /// <summary>
    /// Stops without waiting for OnDeactivateAsync (it cannot await). Prefer
    /// <see cref="DisposeAsync"/> or the host's stop, which deactivate gracefully.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0)
        {
            _collector.Dispose();
            _stopping.Cancel();
        }
    }

    /// <summary>The collector's tick: expire overdue calls; now and then, deactivate idle activations.</summary>
    private void Collect()
    {
        if (Interlocked.Exchange(ref _collecting, 1) != 0)
        {
            return;
        }

        try
        {
            var now = Environment.TickCount64;
            var checkIdle = now - _lastIdleCheck >= _idleCheckIntervalMs;
            if (checkIdle)
            {
                _lastIdleCheck = now;
            }

            var checkCalls = _callTimeoutMs != long.MaxValue;
            if (!checkIdle && !checkCalls)
            {
                return;
            }

            var idleSince = now - _idleTimeoutMs;
            foreach (var type in _types.Values)
            {
                foreach (var activation in type.Activations.Values)
                {
                    if (checkCalls)
                    {
                        activation.ExpireCalls(now, _callTimeoutMs, Options.CallTimeout);
                    }

                    if (checkIdle)
                    {
                        activation.BeginDeactivation(DeactivationReason.Idle, onlyIfIdle: true, idleSince);
                    }
                }
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Grain collector failed");
        }
        finally
        {
            Volatile.Write(ref _collecting, 0);
        }
    }

    private static long ToMilliseconds(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan || value >= TimeSpan.FromDays(365) ? long.MaxValue : Math.Max(1, (long)value.TotalMilliseconds);
}
