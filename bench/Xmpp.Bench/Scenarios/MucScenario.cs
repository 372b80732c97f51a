using System.Text;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// K occupants join one room (XEP-0045; the first creates it and accepts the default configuration
/// if the room is locked); S of them send groupchat messages, each with W in flight until its own
/// reflection returns. Delivered stanzas/s (every occupant's copy counts), latency, CPU.
/// </summary>
internal static class MucScenario
{
    public static async Task RunAsync(Target target, ServerProcess server, Options options, ScenarioResult result, ErrorLog errors, CancellationToken cancellationToken)
    {
        var occupants = options.Int("occupants", 50);
        var senders = options.Int("senders", 5);
        var rate = options.Double("rate", 0);
        var window = options.Int("w", rate > 0 ? 1000 : 10);
        var room = $"{options.String("room", "bench" + DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture))}@{target.MucDomain}";
        var connections = await Clients.LoginAllAsync(target, options.Int("first-user", 1), occupants, "muc", options.Int("c", 50), presence: true, errors, 16384, cancellationToken);
        var all = connections.OfType<XmppConnection>().Select((c, i) => new Participant(i, c, window)).ToArray();
        var joined = all.Select(_ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var configured = all.Select(_ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        foreach (var p in all)
        {
            var nick = "/n" + p.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            p.OnOther = bytes =>
            {
                var span = bytes.Span;
                if (!joined[p.Index].Task.IsCompleted && span.StartsWith("<presence"u8) && span.IndexOf(Encoding.UTF8.GetBytes(room + nick)) >= 0)
                {
                    var text = Encoding.UTF8.GetString(span);
                    if (text.Contains("type='error'", StringComparison.Ordinal) || text.Contains("type=\"error\"", StringComparison.Ordinal) || text.Contains("110", StringComparison.Ordinal))
                    {
                        joined[p.Index].TrySetResult(text);
                    }
                }
                else if (span.StartsWith("<iq"u8) && span.IndexOf("cfg1"u8) >= 0)
                {
                    configured[p.Index].TrySetResult(Encoding.UTF8.GetString(span));
                }
            };
        }

        var engine = new TrafficEngine(all, errors, releaseOnlyOwnEcho: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = engine.StartReceiving(stop.Token);

        // Join: the creator first, then the others a few at a time.
        var members = new List<Participant>();
        async Task JoinAsync(Participant p)
        {
            var nick = "n" + p.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await p.Connection.SendAsync($"<presence to='{room}/{nick}'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>", cancellationToken);
            var self = await joined[p.Index].Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            if (self.Contains("type='error'", StringComparison.Ordinal) || self.Contains("type=\"error\"", StringComparison.Ordinal))
            {
                throw new BenchProtocolException("join failed: " + self);
            }

            if (self.Contains("'201'", StringComparison.Ordinal) || self.Contains("\"201\"", StringComparison.Ordinal))
            {
                await p.Connection.SendAsync($"<iq type='set' id='cfg1' to='{room}'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>", cancellationToken);
                var reply = await configured[p.Index].Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
                if (XmlScan.Attribute(reply, "type") != "result")
                {
                    throw new BenchProtocolException("room configuration failed: " + reply);
                }
            }

            lock (members)
            {
                members.Add(p);
            }
        }

        async Task TryJoinAsync(Participant p)
        {
            try
            {
                await JoinAsync(p);
            }
            catch (Exception e) when (e is BenchProtocolException or TimeoutException or System.Net.Sockets.SocketException)
            {
                errors.Count("join-failed", e);
            }
        }

        if (all.Length > 0)
        {
            await TryJoinAsync(all[0]);
        }

        foreach (var chunk in all.Skip(1).Chunk(10))
        {
            await Task.WhenAll(chunk.Select(TryJoinAsync));
        }

        await Task.Delay(1000, cancellationToken); // let the join presence storm pass
        var template = BenchMessage.Template(room, "groupchat");
        foreach (var p in members.OrderBy(m => m.Index).Take(senders))
        {
            p.Destination = template;
        }

        if (members.Count == 0 || !members.Any(m => m.Destination is not null))
        {
            errors.Count("no-room");
        }
        else
        {
            await engine.RunAsync(server, TimeSpan.FromSeconds(options.Double("warmup", 2)), TimeSpan.FromSeconds(options.Double("duration", 20)), rate, fanOut: members.Count, result, cancellationToken);
        }

        await stop.CancelAsync();
        result.Counters["disconnects"] = (await Task.WhenAll(loops)).Count(ended => ended);
        result.Metrics["occupants"] = members.Count;
        await Clients.CloseAllAsync(connections);
        foreach (var p in all)
        {
            p.Dispose();
        }
    }
}
