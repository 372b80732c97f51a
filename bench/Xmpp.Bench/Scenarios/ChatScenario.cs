using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// P pairs chat both ways (type chat, to the peer's full JID): with W in flight per client, or at a
/// fixed total rate (<c>--rate</c>). Delivered messages/s, one-way latency, server CPU per message.
/// With <c>--flooders N</c>, N more accounts flood another one meanwhile (<see cref="Flooders"/>).
/// </summary>
internal static class ChatScenario
{
    public static async Task RunAsync(Target target, ServerProcess server, Options options, ScenarioResult result, ErrorLog errors, CancellationToken cancellationToken)
    {
        var pairs = options.Int("pairs", 100);
        var rate = options.Double("rate", 0);
        var window = options.Int("w", rate > 0 ? 1000 : 10);
        var connections = await Clients.LoginAllAsync(target, options.Int("first-user", 1), 2 * pairs, "chat", options.Int("c", 50), presence: true, errors, 16384, cancellationToken);
        var participants = new List<Participant>();
        for (var pair = 0; pair < pairs; pair++)
        {
            if (connections[2 * pair] is { } a && connections[(2 * pair) + 1] is { } b)
            {
                var pa = new Participant(participants.Count, a, window) { Destination = BenchMessage.Template(b.FullJid, "chat") };
                var pb = new Participant(participants.Count + 1, b, window) { Destination = BenchMessage.Template(a.FullJid, "chat") };
                participants.Add(pa);
                participants.Add(pb);
            }
            else
            {
                errors.Count("pair-skipped");
            }
        }

        await using var flood = await Flooders.StartAsync(target, options.Int("first-user", 1) + (2 * pairs), options.Int("flooders", 0), errors, cancellationToken);
        var all = participants.ToArray();
        var engine = new TrafficEngine(all, errors, releaseOnlyOwnEcho: false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = engine.StartReceiving(stop.Token);
        await Task.Delay(500, cancellationToken); // let initial presence reflections pass
        await engine.RunAsync(server, TimeSpan.FromSeconds(options.Double("warmup", 2)), TimeSpan.FromSeconds(options.Double("duration", 20)), rate, fanOut: 1, result, cancellationToken);
        await stop.CancelAsync();
        if (flood is not null)
        {
            await flood.StopAsync(result);
        }

        result.Counters["disconnects"] = (await Task.WhenAll(loops)).Count(ended => ended);
        result.Metrics["clients"] = all.Length;
        await Clients.CloseAllAsync(connections);
        foreach (var p in all)
        {
            p.Dispose();
        }
    }
}
