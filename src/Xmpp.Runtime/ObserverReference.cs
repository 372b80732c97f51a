using Xmpp.Runtime.Internal;

namespace Xmpp.Runtime;

/// <summary>Questions about references made by <see cref="IGrainFactory.CreateObjectReference{TObserver}"/>.</summary>
public static class ObserverReference
{
    /// <summary>
    /// False once the reference was deleted (<see cref="IGrainFactory.DeleteObjectReference{TObserver}"/>):
    /// calls through it are dropped, and a grain keeping it may prune it. An object that is not
    /// such a reference is taken as alive.
    /// </summary>
    public static bool IsAlive(object reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference is not ObserverProxy proxy || proxy.IsAlive;
    }
}
