using System.Collections.Concurrent;

namespace Xmpp.Bench.Metrics;

/// <summary>Counts errors by kind and keeps the first few messages for the report.</summary>
internal sealed class ErrorLog
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _samples = new();

    public void Count(string kind, string? detail = null)
    {
        _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (detail is not null && _samples.Count < 10)
        {
            _samples.Enqueue($"{kind}: {detail}");
        }
    }

    public void Count(string kind, Exception exception) => Count(kind, exception.GetType().Name + ": " + exception.Message);

    public void CopyTo(ScenarioResult result)
    {
        foreach (var (kind, count) in _counts)
        {
            result.Counters[kind] = count;
        }

        result.ErrorSamples.AddRange(_samples);
    }
}
