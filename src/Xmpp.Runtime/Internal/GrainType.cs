using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Xmpp.Runtime.Internal;

/// <summary>A registered grain interface: its dispatch table, how to construct it, and its activation directory.</summary>
internal sealed class GrainType
{
    public GrainType(GrainRuntime runtime, GrainRegistration registration, ILogger logger)
    {
        Runtime = runtime;
        Name = registration.GrainTypeName;
        InterfaceType = registration.InterfaceType;
        Logger = logger;
        Methods = GrainMethod.InterfaceMethods(registration.InterfaceType)
            .Distinct()
            .ToFrozenDictionary(m => m, GrainMethod.Create);
        Activator = new GrainActivator(registration.ClassType, registration.GrainTypeName);
    }

    public GrainRuntime Runtime { get; }

    /// <summary>The storage type name (e.g. "user").</summary>
    public string Name { get; }

    public Type InterfaceType { get; }

    public ILogger Logger { get; }

    public FrozenDictionary<MethodInfo, GrainMethod> Methods { get; }

    public GrainActivator Activator { get; }

    /// <summary>The directory: exactly one live activation per key.</summary>
    public ConcurrentDictionary<string, Activation> Activations { get; } = new(StringComparer.Ordinal);

    /// <summary>The activation for this key, created (not yet activated) if there is none; null once the runtime stops.</summary>
    public Activation? GetOrCreateActivation(string key)
    {
        if (Runtime.IsStopping)
        {
            return null;
        }

        // A losing racer's Activation is discarded before anything ran: construction has no side effects.
        return Activations.GetOrAdd(key, static (k, type) => new Activation(type, k), this);
    }

    /// <summary>
    /// Queues the item to the live activation of the key, creating one if needed; <paramref name="cached"/>
    /// is the activation the caller reached last time (updated). Never throws: a failure faults the item.
    /// </summary>
    public void Send(string key, IWorkItem item, ref Activation? cached)
    {
        var activation = cached;
        while (true)
        {
            if (activation is null)
            {
                activation = GetOrCreateActivation(key);
                if (activation is null)
                {
                    item.Fail(new ObjectDisposedException(nameof(GrainRuntime), "The grain runtime is shut down."), Logger);
                    return;
                }

                cached = activation;
            }

            if (activation.TryEnqueue(item))
            {
                return;
            }

            // That activation has been deactivated, and is already out of the directory.
            activation = null;
        }
    }

    public object GetReference(string key)
    {
        if (Activations.TryGetValue(key, out var activation))
        {
            return activation.Reference ??= GrainProxy.Create(this, key, activation);
        }

        return GrainProxy.Create(this, key, null);
    }
}
