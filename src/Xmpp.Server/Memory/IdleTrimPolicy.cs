namespace Xmpp.Server.Memory;

/// <summary>
/// Decides when the server has gone quiet after a burst of work, the moment to hand the
/// garbage collector's transient memory back to the operating system. Fed one sample per check:
/// the process's total allocated bytes and the managed heap size. Pure, so it is tested without a
/// clock or a collector.
/// <para>
/// Quiet means that over <see cref="MemoryOptions.TrimWhenIdleAfter"/> the process allocated less
/// than <see cref="QuietBytesPerSecond"/> times that period. A trim is only worth its full blocking collection
/// when at least <see cref="MinimumAllocatedSinceTrim"/> was allocated since the last one (the
/// collector can have grown by no more than that), so an idle server is trimmed once, not every
/// period. Heaps above <see cref="MemoryOptions.TrimMaxHeapBytes"/> are left alone: there the pause
/// grows with the heap while the transient memory is a fixed, relatively small amount.
/// </para>
/// </summary>
internal sealed class IdleTrimPolicy(TimeSpan trimAfter, long maxHeapBytes)
{
    /// <summary>Below this rate the server is idle: keepalives and timers, no stanza traffic to speak of.</summary>
    public const long QuietBytesPerSecond = 64 * 1024;

    /// <summary>
    /// Less than this since the last trim cannot have grown the collector's committed memory enough
    /// to be worth a full collection; it also spaces trims out on a server whose steady trickle of
    /// traffic stays under the quiet rate.
    /// </summary>
    public const long MinimumAllocatedSinceTrim = 2 * 1024 * 1024;

    private readonly long quietAllowance = (long)(QuietBytesPerSecond * trimAfter.TotalSeconds);
    private bool started;
    private TimeSpan quietSince;
    private long allocatedAtQuietStart;
    private long allocatedAtTrim; // zero until the first trim: what the process allocated since it started counts

    /// <summary>Records one sample; true when a trim should run now.</summary>
    public bool Sample(TimeSpan now, long totalAllocatedBytes, long heapBytes)
    {
        if (!started)
        {
            started = true;
            RestartQuiet(now, totalAllocatedBytes);
            return false;
        }

        // Quiet is judged over the whole period, not per sample, so that a timer firing or a
        // keepalive does not restart it: at most the period's allowance in any pattern.
        if (totalAllocatedBytes - allocatedAtQuietStart > quietAllowance)
        {
            RestartQuiet(now, totalAllocatedBytes);
            return false;
        }

        return now - quietSince >= trimAfter
            && totalAllocatedBytes - allocatedAtTrim >= MinimumAllocatedSinceTrim
            && heapBytes <= maxHeapBytes;
    }

    /// <summary>Records that a trim ran; <paramref name="totalAllocatedBytes"/> is read after it.</summary>
    public void Trimmed(long totalAllocatedBytes) => allocatedAtTrim = totalAllocatedBytes;

    private void RestartQuiet(TimeSpan now, long totalAllocatedBytes)
    {
        quietSince = now;
        allocatedAtQuietStart = totalAllocatedBytes;
    }
}
