namespace Xmpp.Bench.Micro;

/// <summary>Every micro-benchmark with its operation count (enough to average out, fast enough for CI).</summary>
public static class Benchmarks
{
    public static IReadOnlyList<(string Name, Func<MicroBenchmark> Create, int Operations)> All { get; } =
    [
        ("parse-message", () => new ParseBenchmark("parse-message", Samples.Message), 20_000),
        ("parse-presence", () => new ParseBenchmark("parse-presence", Samples.Presence), 20_000),
        ("parse-iq", () => new ParseBenchmark("parse-iq", Samples.Iq), 20_000),
        ("serialize-message", () => new SerializeBenchmark("serialize-message", Samples.Message), 20_000),
        ("serialize-presence", () => new SerializeBenchmark("serialize-presence", Samples.Presence), 20_000),
        ("route-chat-message", () => new RouteBenchmark(), 20_000),
        ("route-chat-message-archived", () => new RouteBenchmark(archived: true), 20_000),
    ];

    /// <summary>The checked-in budgets: bytes each benchmark may allocate per operation.</summary>
    public static Dictionary<string, int> LoadBudgets(string path) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path))
        ?? throw new InvalidDataException(path + " is empty");
}
