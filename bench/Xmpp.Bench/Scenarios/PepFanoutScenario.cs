using System.Diagnostics;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// PEP fan-out (XEP-0163): one publisher (user <c>first-user</c>) and N contacts (the next N users),
/// mutually subscribed ('both', set up over XMPP once and kept), each contact online with presence
/// carrying entity capabilities (XEP-0115, a verified sha-1 hash) whose features ask for
/// <c>nick+notify</c>, answering the servers' disco#info queries. The publisher publishes K nicks
/// (XEP-0172) one at a time: deliveries per server CPU-second, time from publish until the last
/// contact has the event, each delivery's latency. Use accounts of their own (<c>--user-prefix pep</c>):
/// the rosters stay, and would change what other scenarios measure on the same accounts.
/// </summary>
internal static class PepFanoutScenario
{
    private const string NickNode = "http://jabber.org/protocol/nick";

    public static async Task RunAsync(Target target, ServerProcess server, Options options, ScenarioResult result, ErrorLog errors, CancellationToken cancellationToken)
    {
        var contacts = options.Int("contacts", 1000);
        var concurrency = options.Int("c", 50);
        var first = options.Int("first-user", 1);
        var meterWarmup = options.Int("warmup", 3);
        var publishes = options.Int("publishes", 200);
        var timeout = TimeSpan.FromSeconds(options.Double("publish-timeout", 10));
        var caps = new ClientCaps(NickNode);

        var publisherConnection = await Clients.LoginOneAsync(target, first, "pep", presence: false, errors, 16384, cancellationToken);
        var connections = await Clients.LoginAllAsync(target, first + 1, contacts, "pep", concurrency, presence: false, errors, 4096, cancellationToken);
        if (publisherConnection is null)
        {
            errors.Count("no-publisher");
            await Clients.CloseAllAsync(connections);
            return;
        }

        // The publisher's presence has no caps: its own resources want no events, so every event
        // counted is a contact's.
        using var publisher = new FanoutClient(-1, publisherConnection, errors) { SubscribeBack = true };
        var online = connections.OfType<XmppConnection>().Select(c => new FanoutClient(-1, c, errors) { Caps = caps }).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<bool>[] loops = [publisher.ReceiveAsync(stop.Token), .. online.Select(c => c.ReceiveAsync(stop.Token))];

        var clock = Stopwatch.StartNew();
        var both = await MutualSubscriptions.EnsureAsync(publisher, online, concurrency, TimeSpan.FromSeconds(options.Double("setup-timeout", 600)), errors, cancellationToken);
        result.Metrics["roster_setup_s"] = clock.Elapsed.TotalSeconds;
        var recipients = online.Where(c => both.Contains(c.BareJid)).ToArray();
        var meter = new FanoutMeter(recipients.Length, meterWarmup, publishes, errors);
        for (var i = 0; i < recipients.Length; i++)
        {
            recipients[i].Index = i;
        }

        foreach (var c in online)
        {
            c.OnMessage = (me, bytes) => meter.OnEvent(me.Index, bytes.Span);
        }

        var ownEvents = 0;
        publisher.OnMessage = (self, bytes) =>
        {
            if (BenchMessage.TryRead(bytes.Span, out _, out var run, out _) && run == meter.Run)
            {
                Interlocked.Increment(ref ownEvents);
            }
        };

        // Caps last: a server asks about a hash, and files a contact's interest, on its presence;
        // sent after the subscriptions are complete, every contact's presence reaches the publisher.
        clock.Restart();
        await publisher.SendAsync("<presence/>", cancellationToken);
        var rest = online.AsEnumerable();
        if (options.String("caps-first", "true") == "true" && online.Length > 0)
        {
            // One contact first, until the server has asked it about the hash: the others then come
            // online with a hash the server knows, as on a server that has run for a while. All at
            // once (false) is a restart's storm: every server then asks many of them, and Prosody
            // sends its events twice to the contacts it asked itself (bench/notes.md).
            await online[0].SendAsync(caps.Presence, cancellationToken);
            await QuietAsync(() => online[0].DiscoQueries, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), cancellationToken);
            rest = online.Skip(1);
        }

        foreach (var chunk in rest.Chunk(Math.Max(1, concurrency)))
        {
            await Task.WhenAll(chunk.Select(c => c.SendAsync(caps.Presence, cancellationToken)));
        }

        await QuietAsync(() => online.Sum(c => c.DiscoQueries), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), cancellationToken);
        result.Metrics["caps_setup_s"] = clock.Elapsed.TotalSeconds;
        result.Metrics["caps_queries"] = online.Sum(c => c.DiscoQueries);
        result.Metrics["recipients"] = recipients.Length;

        await FanoutPublisher.RunAsync(
            publisher,
            (id, payload) => $"<iq type='set' id='{id}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='{NickNode}'><item id='{id}'><nick xmlns='{NickNode}'>{payload}</nick></item></publish></pubsub></iq>",
            meter, timeout, server, result, errors, cancellationToken);

        await stop.CancelAsync();
        result.Counters["disconnects"] = (await Task.WhenAll(loops)).Count(ended => ended);
        result.Counters["publisher_own_events"] = ownEvents;
        await Clients.CloseAllAsync([publisherConnection, .. connections]);
        foreach (var c in online)
        {
            c.Dispose();
        }
    }

    /// <summary>Waits until <paramref name="count"/> has not moved for <paramref name="quiet"/> (at most <paramref name="max"/>).</summary>
    private static async Task QuietAsync(Func<long> count, TimeSpan quiet, TimeSpan max, CancellationToken cancellationToken)
    {
        var end = Stopwatch.GetTimestamp() + (long)(max.TotalSeconds * Stopwatch.Frequency);
        var last = count();
        while (Stopwatch.GetTimestamp() < end)
        {
            await Task.Delay(quiet, cancellationToken);
            var now = count();
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }
}
