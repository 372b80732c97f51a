using System.Diagnostics;
using System.Globalization;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// Pubsub fan-out (XEP-0060): N subscribers, each an online client (users first-user…, resource
/// "ps") subscribed with its full JID to one node of the pubsub service, which the owner (an
/// account the server lets create nodes: an administrator of ours and Prosody's) creates if it is
/// not there. The owner publishes K items one at a time: deliveries per server CPU-second, time
/// from publish until the last subscriber has the item, each delivery's latency. Subscriptions
/// stay: a later run subscribes only the full JIDs the node does not list.
/// </summary>
internal static class PubSubFanoutScenario
{
    public static async Task RunAsync(Target target, ServerProcess server, Options options, ScenarioResult result, ErrorLog errors, CancellationToken cancellationToken)
    {
        var subscribers = options.Int("subscribers", 10_000);
        var concurrency = options.Int("c", 50);
        var service = options.String("pubsub-domain", "pubsub." + target.Domain);
        var node = options.String("node", "bench");
        var timeout = TimeSpan.FromSeconds(options.Double("publish-timeout", 30));
        var meterWarmup = options.Int("warmup", 3);
        var publishes = options.Int("publishes", 50);

        var clock = Stopwatch.StartNew();
        var ownerConnection = await Clients.LoginNamedAsync(target, options.String("owner", "admin"), target.EndpointOf(0), "owner", presence: false, errors, 16384, cancellationToken);
        var connections = await Clients.LoginAllAsync(target, options.Int("first-user", 1), subscribers, "ps", concurrency, presence: true, errors, 4096, cancellationToken);
        result.Metrics["login_s"] = clock.Elapsed.TotalSeconds;
        if (ownerConnection is null)
        {
            errors.Count("no-owner");
            await Clients.CloseAllAsync(connections);
            return;
        }

        using var owner = new FanoutClient(-1, ownerConnection, errors);
        var online = connections.OfType<XmppConnection>().Select(c => new FanoutClient(-1, c, errors)).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<bool>[] loops = [owner.ReceiveAsync(stop.Token), .. online.Select(c => c.ReceiveAsync(stop.Token))];

        if (await CreateNodeAsync(owner, service, node, errors, cancellationToken))
        {
            clock.Restart();
            var cpu0 = server.CpuSeconds();
            var already = await SubscribedAsync(owner, service, node, errors, cancellationToken);
            var subscribed = await SubscribeAllAsync(online, already, service, node, concurrency, errors, cancellationToken);
            result.Metrics["subscribe_s"] = clock.Elapsed.TotalSeconds;
            result.Metrics["subscribe_server_cpu_s"] = server.CpuSeconds() - cpu0;
            result.Metrics["subscribed_before"] = online.Count(c => already.Contains(c.FullJid));
            var meter = new FanoutMeter(subscribed.Length, meterWarmup, publishes, errors);
            for (var i = 0; i < subscribed.Length; i++)
            {
                subscribed[i].Index = i;
            }

            foreach (var c in online)
            {
                c.OnMessage = (me, bytes) => meter.OnEvent(me.Index, bytes.Span);
            }

            result.Metrics["recipients"] = subscribed.Length;
            await FanoutPublisher.RunAsync(
                owner,
                (id, payload) => $"<iq type='set' to='{service}' id='{id}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='{node}'><item id='{id}'><entry xmlns='urn:xmpp-bench'>{payload}</entry></item></publish></pubsub></iq>",
                meter, timeout, server, result, errors, cancellationToken);
        }

        await stop.CancelAsync();
        result.Counters["disconnects"] = (await Task.WhenAll(loops)).Count(ended => ended);
        await Clients.CloseAllAsync([ownerConnection, .. connections]);
        foreach (var c in online)
        {
            c.Dispose();
        }
    }

    /// <summary>Creates the node with the service's default configuration; one that exists (conflict) is used as it is.</summary>
    private static async Task<bool> CreateNodeAsync(FanoutClient owner, string service, string node, ErrorLog errors, CancellationToken cancellationToken)
    {
        var reply = await owner.QueryAsync("create", $"<iq type='set' to='{service}' id='create'><pubsub xmlns='http://jabber.org/protocol/pubsub'><create node='{node}'/></pubsub></iq>", TimeSpan.FromSeconds(30), cancellationToken);
        if (XmlScan.Attribute(reply, "type") == "result" || reply.Contains("<conflict", StringComparison.Ordinal))
        {
            return true;
        }

        errors.Count("create-failed", reply);
        return false;
    }

    /// <summary>
    /// The node's subscriptions as its owner sees them (XEP-0060 §8.8.1): the JIDs subscribed in an
    /// earlier run, which need no request again. A server writes the node's whole subscription list
    /// at every subscription (ours, Prosody), so 10,000 again would cost minutes at each run.
    /// </summary>
    private static async Task<HashSet<string>> SubscribedAsync(FanoutClient owner, string service, string node, ErrorLog errors, CancellationToken cancellationToken)
    {
        var reply = await owner.QueryAsync("subs", $"<iq type='get' to='{service}' id='subs'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><subscriptions node='{node}'/></pubsub></iq>", TimeSpan.FromSeconds(60), cancellationToken);
        var jids = new HashSet<string>(StringComparer.Ordinal);
        if (XmlScan.Attribute(reply, "type") != "result")
        {
            errors.Count("subscriptions-get-failed", reply);
            return jids;
        }

        for (var at = reply.IndexOf("<subscription ", StringComparison.Ordinal); at >= 0; at = reply.IndexOf("<subscription ", at + 1, StringComparison.Ordinal))
        {
            var end = reply.IndexOf('>', at);
            var tag = end < 0 ? reply[at..] : reply[at..(end + 1)];
            if (XmlScan.Attribute(tag, "subscription") == "subscribed" && XmlScan.Attribute(tag, "jid") is { } jid)
            {
                jids.Add(jid);
            }
        }

        return jids;
    }

    /// <summary>Subscribes every client's full JID not yet subscribed, <paramref name="concurrency"/> requests in flight; returns the subscribed.</summary>
    private static async Task<FanoutClient[]> SubscribeAllAsync(FanoutClient[] clients, HashSet<string> already, string service, string node, int concurrency, ErrorLog errors, CancellationToken cancellationToken)
    {
        var ok = clients.Select(c => already.Contains(c.FullJid)).ToArray();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, concurrency)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < clients.Length)
            {
                if (ok[i])
                {
                    continue;
                }

                var c = clients[i];
                var id = "sub" + i.ToString(CultureInfo.InvariantCulture);
                try
                {
                    var reply = await c.QueryAsync(id, $"<iq type='set' to='{service}' id='{id}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='{node}' jid='{c.FullJid}'/></pubsub></iq>", TimeSpan.FromSeconds(60), cancellationToken);
                    ok[i] = XmlScan.Attribute(reply, "type") == "result";
                    if (!ok[i])
                    {
                        errors.Count("subscribe-failed", reply);
                    }
                }
                catch (TimeoutException e)
                {
                    errors.Count("subscribe-timeout", e);
                }
            }
        }));
        return [.. clients.Where((_, i) => ok[i])];
    }
}
