namespace Xmpp.Server.Memory;

/// <summary>The <c>Memory</c> configuration section: returning memory to the OS when idle.</summary>
public sealed class MemoryOptions
{
    public const string SectionName = "Memory";

    /// <summary>
    /// After this long with (almost) no allocation following a burst of work, run one full
    /// collection that also releases the collector's free memory. <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan TrimWhenIdleAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>No idle trim above this managed heap size, where the collection's pause would grow with the heap.</summary>
    public long TrimMaxHeapBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>How often the allocation rate is sampled.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
