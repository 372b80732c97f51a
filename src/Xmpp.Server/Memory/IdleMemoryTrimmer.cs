using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Xmpp.Server.Memory;

/// <summary>
/// Hands the garbage collector's transient memory back to the OS once the server goes quiet.
/// Workstation GC keeps a first-generation budget sized from the CPU cache (about 16 MiB on a
/// 32 MiB-L3 machine) committed after any burst — logins, a groupchat storm — which for a small
/// server is more than all its idle sessions together. An aggressive collection
/// (<see cref="GCCollectionMode.Aggressive"/>, made for apps going idle) decommits it; the next
/// burst commits it again. The C library's heap is trimmed after it (<see cref="NativeHeap"/>).
/// When to trim is <see cref="IdleTrimPolicy"/>'s call.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(IOptions<MemoryOptions> options, TimeProvider time, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.TrimWhenIdleAfter <= TimeSpan.Zero)
        {
            return;
        }

        var policy = new IdleTrimPolicy(settings.TrimWhenIdleAfter, settings.TrimMaxHeapBytes);
        using var timer = new PeriodicTimer(settings.CheckInterval, time);
        var start = time.GetTimestamp();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (policy.Sample(time.GetElapsedTime(start), GC.GetTotalAllocatedBytes(), GC.GetGCMemoryInfo().HeapSizeBytes))
            {
                Trim();
                policy.Trimmed(GC.GetTotalAllocatedBytes());
            }
        }
    }

    private void Trim()
    {
        var before = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
        LogTrimmed(before >> 20, Environment.WorkingSet >> 20, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Idle: released collector memory, working set {Before} -> {After} MiB in {Milliseconds:F1} ms")]
    private partial void LogTrimmed(long before, long after, double milliseconds);
}
