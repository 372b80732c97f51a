using System.Diagnostics;

namespace Xmpp.Bench.Metrics;

/// <summary>
/// Latency samples (Stopwatch ticks) of one receiving task; merged and sorted once at the end.
/// Not thread-safe: one per receive loop.
/// </summary>
internal sealed class LatencyRecorder
{
    private long[] _samples = new long[1024];

    public int Count { get; private set; }

    public void Add(long ticks)
    {
        if (Count == _samples.Length)
        {
            Array.Resize(ref _samples, _samples.Length * 2);
        }

        _samples[Count++] = ticks;
    }

    /// <summary>p50/p95/p99/max in milliseconds over all recorders.</summary>
    public static Dictionary<string, double> Percentiles(IEnumerable<LatencyRecorder> recorders, string prefix)
    {
        var all = recorders.SelectMany(r => r._samples.Take(r.Count)).ToArray();
        Array.Sort(all);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, q) in new[] { ("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0) })
        {
            result[$"{prefix}_{name}_ms"] = all.Length == 0
                ? double.NaN
                : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1 < 0 ? 0 : (int)Math.Ceiling(q * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        }

        return result;
    }
}
