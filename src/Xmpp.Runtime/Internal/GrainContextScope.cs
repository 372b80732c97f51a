namespace Xmpp.Runtime.Internal;

/// <summary>
/// The activation whose grain is being constructed on this thread, so that a grain constructor
/// may already call <see cref="Grain.GetPrimaryKeyString"/> (as in Orleans).
/// </summary>
internal static class GrainContextScope
{
    [ThreadStatic]
    private static IGrainContext? t_current;

    public static IGrainContext? Current => t_current;

    public static Scope Enter(IGrainContext context)
    {
        var previous = t_current;
        t_current = context;
        return new Scope(previous);
    }

    public readonly struct Scope(IGrainContext? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
