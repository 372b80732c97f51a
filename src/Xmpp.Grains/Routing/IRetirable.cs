using System.Collections.Concurrent;

namespace Xmpp.Grains.Routing;

/// <summary>Something kept per target while in use and dropped after a sweep period without use.</summary>
public interface IRetirable
{
    /// <summary>
    /// True (and no longer usable) when it was neither used nor busy since the previous call;
    /// otherwise false, and the next call decides.
    /// </summary>
    bool TryRetireIfUnused();
}

/// <summary>Drops the retirable entries of a table that went unused for a whole sweep period.</summary>
public static class RetirableSweep
{
    public static void Sweep<TKey, TValue>(ConcurrentDictionary<TKey, TValue> table)
        where TKey : notnull
        where TValue : IRetirable
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var entry in table)
        {
            if (entry.Value.TryRetireIfUnused())
            {
                table.TryRemove(entry);
            }
        }
    }
}
