using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// N sessions log in (bind + initial presence) and stay idle; the server's RSS growth divided by N
/// is its memory per connection. Disconnects while idle are counted. A few sessions log in and out
/// first (unmeasured), so that code loaded on first use is not counted as per-session memory;
/// run it against a freshly started server (bench/run.sh restarts each one). Every RSS reading,
/// the baseline included, is taken after the same settle period without traffic, so that both ends
/// of a difference see the server in the same (idle) state, whatever it does when it goes quiet.
/// <para>
/// The sessions log in in two halves, with RSS read after each: the growth over the second half
/// alone (<c>rss_marginal_kib</c>) is what one more connection costs once the server's one-time
/// costs (a runtime's first garbage-collection budget, JIT, thread stacks, caches) were paid in the
/// first half. Both figures are reported; the goal is on the first.
/// </para>
/// <para>
/// <c>--hibernate true</c>: each session enables resumable stream management (XEP-0198) and then
/// drops its connection without a word, so what is measured is a session waiting to be resumed
/// (no connection, still bound at its account). Against a server that keeps them, they stay for
/// its resumption timeout after the run: long enough for a heap snapshot (bench/findings.md).
/// </para>
/// </summary>
internal static class IdleScenario
{
    public static async Task RunAsync(Target target, ServerProcess server, Options options, ScenarioResult result, ErrorLog errors, CancellationToken cancellationToken)
    {
        var n = options.Int("n", 2000);
        var concurrency = options.Int("c", 50);
        var settle = TimeSpan.FromSeconds(options.Double("settle", 10));
        var warmup = options.Int("warmup", 100);
        var first = options.Int("first-user", 1);
        var hibernate = options.String("hibernate", "false") == "true";
        if (warmup > 0)
        {
            await Clients.CloseAllAsync(await Clients.LoginAllAsync(target, first, warmup, "warm", concurrency, presence: true, new ErrorLog(), 1024, cancellationToken));
            await Task.Delay(settle, cancellationToken);
        }

        var rssBefore = server.RssBytes();
        var cpu0 = server.CpuSeconds();
        var half = n / 2;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firstHalf = await Clients.LoginAllAsync(target, first, half, "idle", concurrency, presence: true, errors, 1024, cancellationToken);
        var loops = hibernate ? await DropResumableAsync(firstHalf, errors, cancellationToken) : Listen(firstHalf, stop.Token);
        await Task.Delay(settle, cancellationToken);
        var rssMiddle = server.RssBytes();
        var secondHalf = await Clients.LoginAllAsync(target, first + half, n - half, "idle", concurrency, presence: true, errors, 1024, cancellationToken);
        loops = [.. loops, .. hibernate ? await DropResumableAsync(secondHalf, errors, cancellationToken) : Listen(secondHalf, stop.Token)];
        await Task.Delay(settle, cancellationToken);
        var rssAfter = server.RssBytes();
        var cpu = server.CpuSeconds() - cpu0;
        await stop.CancelAsync();
        var ended = (await Task.WhenAll(loops)).Count(serverEnded => serverEnded);
        XmppConnection?[] connections = [.. firstHalf, .. secondHalf];
        await Clients.CloseAllAsync(connections);

        var up = connections.Count(c => c is not null);
        var secondUp = secondHalf.Count(c => c is not null);
        result.Metrics["sessions"] = up;
        result.Metrics["rss_before_mib"] = rssBefore / 1048576.0;
        result.Metrics["rss_middle_mib"] = rssMiddle / 1048576.0;
        result.Metrics["rss_after_mib"] = rssAfter / 1048576.0;
        result.Metrics["rss_per_session_kib"] = up > 0 ? (rssAfter - rssBefore) / 1024.0 / up : double.NaN;
        result.Metrics["rss_marginal_kib"] = secondUp > 0 ? (rssAfter - rssMiddle) / 1024.0 / secondUp : double.NaN;
        result.Metrics["server_cpu_s"] = cpu;
        result.Counters["failed"] = n - up;
        result.Counters["disconnects"] = ended;
    }

    private static Task<bool>[] Listen(XmppConnection?[] connections, CancellationToken cancellationToken) =>
        [.. connections.OfType<XmppConnection>().Select(c => c.ReceiveLoopAsync(_ => { }, cancellationToken))];

    /// <summary>Each session enables resumption and drops its connection; one that cannot enable it counts as failed.</summary>
    private static async Task<Task<bool>[]> DropResumableAsync(XmppConnection?[] connections, ErrorLog errors, CancellationToken cancellationToken)
    {
        for (var i = 0; i < connections.Length; i++)
        {
            if (connections[i] is not { } connection)
            {
                continue;
            }

            try
            {
                await connection.EnableResumptionAsync(cancellationToken);
            }
            catch (BenchProtocolException e)
            {
                errors.Count("sm-enable", e);
                connections[i] = null;
            }

            connection.Abort();
        }

        return [];
    }
}
