using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xmpp.Bench.Metrics;

/// <summary>One run of one scenario against one server: a line of the results file.</summary>
internal sealed class ScenarioResult
{
    public string Scenario { get; set; } = string.Empty;

    public string Server { get; set; } = string.Empty;

    public int Repetition { get; set; }

    public string Command { get; set; } = string.Empty;

    public DateTimeOffset Started { get; set; }

    /// <summary>Measured values (rates, latencies, CPU, memory); NaN when not measurable.</summary>
    public Dictionary<string, double> Metrics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Errors, disconnects, undelivered messages: always reported, never hidden.</summary>
    public Dictionary<string, long> Counters { get; set; } = new(StringComparer.Ordinal);

    public List<string> ErrorSamples { get; set; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };
}
