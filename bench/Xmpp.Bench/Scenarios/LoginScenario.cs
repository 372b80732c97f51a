using System.Diagnostics;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// N logins (connect, stream, SASL, restart, bind, close), C at a time: logins/s, latency from
/// connect to bind result, server CPU per login. Unmeasured warm-up logins over the same accounts
/// run first (default 3 N: a .NET server is still tiering up its JIT after one pass) so that every
/// server's JIT and caches and the client's SCRAM cache are warm.
/// </summary>
internal static class LoginScenario
{
    public static async Task RunAsync(Target target, ServerProcess server, Options options, ScenarioResult result, ErrorLog errors, CancellationToken cancellationToken)
    {
        var n = options.Int("n", 1000);
        var concurrency = options.Int("c", 50);
        var first = options.Int("first-user", 1);
        var warmup = options.Int("warmup", 3 * n);
        if (warmup > 0)
        {
            await PassAsync(target, first, warmup, n, concurrency, new ErrorLog(), null, cancellationToken);
        }

        var recorders = Enumerable.Range(0, concurrency).Select(_ => new LatencyRecorder()).ToArray();
        var cpu0 = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        var ok = await PassAsync(target, first, n, n, concurrency, errors, recorders, cancellationToken);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = server.CpuSeconds() - cpu0;

        result.Metrics["logins"] = ok;
        result.Metrics["elapsed_s"] = elapsed;
        result.Metrics["logins_per_s"] = ok / elapsed;
        result.Metrics["server_cpu_s"] = cpu;
        result.Metrics["logins_per_cpu_s"] = cpu > 0 ? ok / cpu : double.NaN;
        foreach (var (k, v) in LatencyRecorder.Percentiles(recorders, "login"))
        {
            result.Metrics[k] = v;
        }

        result.Counters["failed"] = n - ok;
    }

    private static async Task<int> PassAsync(Target target, int first, int n, int users, int concurrency, ErrorLog errors, LatencyRecorder[]? recorders, CancellationToken cancellationToken)
    {
        var next = -1;
        var ok = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n && !cancellationToken.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                var connection = await Clients.LoginOneAsync(target, first + (i % users), "login", presence: false, errors, 4096, cancellationToken);
                if (connection is null)
                {
                    continue;
                }

                recorders?[worker].Add(Stopwatch.GetTimestamp() - start);
                Interlocked.Increment(ref ok);
                await connection.DisposeAsync();
            }
        }));
        return ok;
    }
}
