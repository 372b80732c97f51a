namespace Xmpp.Runtime;

/// <summary>How callers reach grains and expose observers, as in Orleans.</summary>
public interface IGrainFactory
{
    /// <summary>
    /// A reference to the grain with this key. Cheap; the activation is created on the first call.
    /// Every call through the reference is queued to the activation and runs as one turn.
    /// </summary>
    TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey;

    /// <summary>A reference to an observer that grains may keep and call until it is deleted.</summary>
    TObserver CreateObjectReference<TObserver>(TObserver observer)
        where TObserver : class, IGrainObserver;

    /// <summary>Invalidates a reference: later calls through it are dropped, and observer lists prune it.</summary>
    void DeleteObjectReference<TObserver>(TObserver reference)
        where TObserver : class, IGrainObserver;
}
