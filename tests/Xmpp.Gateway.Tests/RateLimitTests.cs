using System.Diagnostics;
using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>The inbound rate limits (a connection's bytes, an account's stanzas): a flooder is read more slowly, nothing is dropped, and others are not held up.</summary>
public sealed class RateLimitTests
{
    private const int Flood = 2000;

    [Fact]
    public async Task A_flood_arrives_whole_but_throttled_and_does_not_delay_another_session()
    {
        // 20 KB/s with one second of burst: a flood of ~240 KB takes about ten seconds to get in.
        await using var server = await TestServer.StartAsync(
            "--Gateway:RateLimits:Tcp:BytesPerSecond=20480", "--Gateway:RateLimits:Tcp:Burst=00:00:01", "--Xmpp:Admins:0=admin@localhost", "--management-port", "-1");
        foreach (var name in new[] { "flooder", "victim", "alice", "bob", "admin" })
        {
            await server.AddUserAsync(name, "pencil");
        }

        await using var flooder = await server.LoginAsync("flooder", "pencil");
        await using var victim = await server.LoginAsync("victim", "pencil");
        await using var alice = await server.LoginAsync("alice", "pencil");
        await using var bob = await server.LoginAsync("bob", "pencil");
        foreach (var available in new[] { victim, bob })
        {
            await available.SendAsync("<presence/>"); // messages to the bare JID go to available resources
        }

        var started = Stopwatch.StartNew();
        var filler = new string('x', 80);
        var flooding = Task.Run(async () =>
        {
            for (var i = 0; i < Flood; i++)
            {
                await flooder.SendAsync($"<message to='victim@localhost' type='chat' id='f{i}'><body>{filler}</body></message>");
            }
        });

        // Meanwhile another session talks as usual: its messages are not held up by the flood.
        var latencies = await ChatLatenciesAsync(alice, bob, 10);

        var received = 0;
        while (received < Flood)
        {
            if ((await victim.ReadElementAsync(TimeSpan.FromSeconds(30))).Name == Stanza.Message)
            {
                received++;
            }
        }

        await flooding;
        var floodTook = started.Elapsed;
        Console.WriteLine($"Flood of {Flood} messages arrived in {floodTook.TotalSeconds:0.0} s; another session's messages took at most {latencies.Max().TotalMilliseconds:0} ms");
        Assert.True(floodTook > TimeSpan.FromSeconds(5), $"the flood arrived in {floodTook}: not throttled");
        Assert.True(latencies.Max() < TimeSpan.FromSeconds(1), $"another session waited {latencies.Max()}");
        var metrics = await MetricsScrape.ReadAsync(server.Server.ManagementEndpoint!);
        Assert.True(metrics.Value("xmpp_limit_hits_total", ("limit", "inbound_rate")) >= 1, metrics.Text);

        // An administrator is not held back.
        await using var admin = await server.LoginAsync("admin", "pencil");
        var adminStarted = Stopwatch.StartNew();
        for (var i = 0; i < Flood; i++)
        {
            await admin.SendAsync($"<message to='victim@localhost' type='chat' id='x{i}'><body>{filler}</body></message>");
        }

        for (received = 0; received < Flood;)
        {
            if ((await victim.ReadElementAsync(TimeSpan.FromSeconds(30))).Name == Stanza.Message)
            {
                received++;
            }
        }

        // The same flood, unthrottled: far faster than the throttled one, however busy the machine.
        Assert.True(adminStarted.Elapsed < floodTook / 2, $"the administrator's messages took {adminStarted.Elapsed}, the throttled flood {floodTook}");
    }

    [Fact]
    public async Task An_accounts_sessions_share_its_stanza_rate_and_nothing_is_lost()
    {
        // 100 stanzas a second with one second of burst, for the account as a whole: 400 messages
        // from two sessions cannot all get in before (400 - 100) / 100 = 3 s, although each session
        // alone sends only 200 (and bytes are not limited here).
        const int PerSession = 200;
        await using var server = await TestServer.StartAsync(
            "--Xmpp:Limits:StanzasPerSecond=100", "--Xmpp:Limits:StanzaBurst=00:00:01", "--Xmpp:Admins:0=admin@localhost", "--management-port", "-1");
        foreach (var name in new[] { "flooder", "victim", "alice", "bob", "admin" })
        {
            await server.AddUserAsync(name, "pencil");
        }

        await using var one = await server.LoginAsync("flooder", "pencil", "one");
        await using var two = await server.LoginAsync("flooder", "pencil", "two");
        await using var victim = await server.LoginAsync("victim", "pencil");
        await using var alice = await server.LoginAsync("alice", "pencil");
        await using var bob = await server.LoginAsync("bob", "pencil");
        await using var admin = await server.LoginAsync("admin", "pencil");
        foreach (var available in new[] { victim, bob })
        {
            await available.SendAsync("<presence/>");
        }

        var flooding = AccountFlood.Start([one, two], "victim@localhost", PerSession);

        // Another account's messages, and an administrator's burst, are not held up meanwhile.
        var latencies = await ChatLatenciesAsync(alice, bob, 5);

        var adminStarted = Stopwatch.StartNew();
        for (var i = 0; i < 300; i++)
        {
            await admin.SendAsync($"<message to='bob@localhost' type='chat' id='x{i}'><body>notice</body></message>");
        }

        await bob.ReadUntilAsync(e => e.Id == "x299");
        var adminTook = adminStarted.Elapsed;

        var floodTook = await flooding.ArrivedAsync(victim);
        Console.WriteLine($"{2 * PerSession} messages from two sessions of one account at 100 stanzas/s arrived in {floodTook.TotalSeconds:0.0} s; another account's messages took at most {latencies.Max().TotalMilliseconds:0} ms; an administrator's 300 took {adminTook.TotalMilliseconds:0} ms");
        Assert.True(floodTook > TimeSpan.FromSeconds(2.5), $"the flood arrived in {floodTook}: not held to the account's rate");
        Assert.True(latencies.Max() < TimeSpan.FromSeconds(1), $"another account waited {latencies.Max()}");
        Assert.True(adminTook < floodTook / 2, $"the administrator's messages took {adminTook}, the throttled flood {floodTook}");
        var metrics = await MetricsScrape.ReadAsync(server.Server.ManagementEndpoint!);
        Assert.True(metrics.Value("xmpp_limit_hits_total", ("limit", "stanza_rate")) >= 1, metrics.Text);
    }

    [Theory]
    [InlineData("--Gateway:RateLimits:Tcp:BytesPerSecond=2048", "--Gateway:RateLimits:Tcp:Burst=00:00:01")]
    [InlineData("--Xmpp:Limits:StanzasPerSecond=4", "--Xmpp:Limits:StanzaBurst=00:00:01")]
    public async Task A_client_that_never_lets_up_is_disconnected_at_the_hard_limit(string rate, string burst)
    {
        await using var server = await TestServer.StartAsync(rate, burst, "--Gateway:RateLimits:HardLimitAfter=00:00:02");
        await server.AddUserAsync("flooder", "pencil");
        await using var flooder = await server.LoginAsync("flooder", "pencil");
        var filler = new string('x', 500);
        var flooding = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 1000; i++)
                {
                    await flooder.SendAsync($"<message to='flooder@localhost/nowhere' type='chat'><body>{filler}</body></message>");
                }
            }
            catch (IOException)
            {
                // Disconnected, as expected.
            }
        });

        Assert.Equal("policy-violation", await flooder.ReadStreamErrorConditionAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>How long each of <paramref name="count"/> messages from one to the other took, a tenth of a second apart, as people chat.</summary>
    private static async Task<List<TimeSpan>> ChatLatenciesAsync(XmppTestClient from, XmppTestClient to, int count)
    {
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            var sent = Stopwatch.StartNew();
            await from.SendAsync($"<message to='{to.Jid}' type='chat' id='a{i}'><body>hello</body></message>");
            await to.ReadUntilAsync(e => e.Id == $"a{i}");
            latencies.Add(sent.Elapsed);
            await Task.Delay(100);
        }

        return latencies;
    }
}
