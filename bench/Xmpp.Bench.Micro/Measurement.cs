using System.Diagnostics;

namespace Xmpp.Bench.Micro;

/// <summary>Bytes allocated per operation and throughput of one benchmark.</summary>
public sealed record Measurement(string Name, int Operations, double BytesAllocatedPerOperation, double OperationsPerSecond, double MegabytesPerSecond)
{
    /// <summary>Warms up (JIT, pools, caches), then measures <paramref name="operations"/> operations.</summary>
    public static async Task<Measurement> RunAsync(MicroBenchmark benchmark, int operations)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        for (var i = 0; i < 3; i++)
        {
            await benchmark.SetupAsync(operations);
            await benchmark.RunAsync(operations);
        }

        // Work that hops threads can only pick up extra allocations from timing (an await that
        // suspends this time, a pool that grows), never lose them, and more so on a loaded machine
        // (the test run shares 2 cores with other test assemblies): the least of five runs is the
        // repeatable figure. Single-thread benchmarks are exact in one run.
        var best = double.MaxValue;
        var seconds = double.MaxValue;
        for (var run = 0; run < (benchmark.AllThreads ? 5 : 1); run++)
        {
            await benchmark.SetupAsync(operations);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = Allocated(benchmark);
            var clock = Stopwatch.StartNew();
            await benchmark.RunAsync(operations);
            seconds = Math.Min(seconds, clock.Elapsed.TotalSeconds);
            best = Math.Min(best, (double)(Allocated(benchmark) - before) / operations);
        }

        return new Measurement(
            benchmark.Name,
            operations,
            best,
            operations / seconds,
            (double)benchmark.BytesPerOperation * operations / seconds / 1e6);
    }

    private static long Allocated(MicroBenchmark benchmark) =>
        benchmark.AllThreads ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
}
