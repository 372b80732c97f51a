using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Gateway.Sessions;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>Tests that measure memory run alone, so other tests' allocations do not blur them.</summary>
[CollectionDefinition(nameof(MemorySensitive), DisableParallelization = true)]
public sealed class MemorySensitive;

/// <summary>
/// Bounded memory per connection: a huge stanza is cut off by the parser limit without being
/// buffered, and a client that does not read is disconnected once its send queue is full.
/// </summary>
[Collection(nameof(MemorySensitive))]
public sealed class ResourceLimitTests
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    [Fact]
    public async Task Ten_megabyte_stanza_is_a_policy_violation_without_being_buffered()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await server.AddUserAsync("healthy", "pencil");
        await using var healthy = await server.LoginAsync("healthy", "pencil", "r");
        await using var client = await server.LoginAsync("alice", "pencil", "big");

        var chunk = Encoding.UTF8.GetBytes(new string('x', 64 * 1024));
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        await client.SendAsync("<message to='healthy@localhost'><body>");
        var error = client.ReadStreamErrorConditionAsync(TimeSpan.FromSeconds(30));
        long sent = 0;
        try
        {
            // Send all of it, whatever the server says meanwhile (it discards input after its error).
            while (sent < TenMegabytes)
            {
                await client.SendAsync(chunk);
                sent += chunk.Length;
            }
        }
        catch (IOException)
        {
            // The server closed the connection while we were still sending: that is the point.
        }

        Assert.Equal("policy-violation", await error);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // The default limit is 256 KiB; the server may hold that (as chars), not megabytes.
        Assert.True(allocated < 6 * 1024 * 1024, $"{allocated:N0} bytes were allocated while {sent:N0} bytes were sent");
        await healthy.PingSessionAsync();
    }

    [Fact]
    public async Task Client_that_does_not_read_is_disconnected_when_its_queue_is_full()
    {
        const int limit = 256 * 1024;
        await using var server = await TestServer.StartAsync(
            $"--Gateway:Limits:MaxPendingSendBytes={limit}",
            "--Gateway:Limits:CloseTimeout=00:00:01",
            "--Xmpp:OfflineMessageLimit=10"); // what comes back is mostly bounced, not kept in memory
        await server.AddUserAsync("slow", "pencil");
        await server.AddUserAsync("healthy", "pencil");
        await using var healthy = await server.LoginAsync("healthy", "pencil", "r");
        await using var slow = await server.LoginAsync("slow", "pencil", "r"); // and never reads again

        var tracker = server.Services.GetRequiredService<SessionTracker>();
        var session = tracker.Sessions.Single(s => s.Jid?.ToString() == "slow@localhost/r");

        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var body = new string('y', 10 * 1024);
        long offered = 0;
        long maxPending = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!session.IsClosing && DateTime.UtcNow < deadline && offered < 500L * 1024 * 1024)
        {
            // As its account grain pushes (which stops once the session unbinds); from an
            // account without sessions, so that bounces of what cannot be stored go nowhere.
            var message = new Element(Stanza.Message) { To = "slow@localhost/r", From = "nobody@localhost/r", Type = "chat" };
            message.AddTextChild("body", Namespaces.Client, body);
            _ = session.SendAsync([message]);
            offered += body.Length;
            maxPending = Math.Max(maxPending, session.PendingSendBytes);
            if (offered % (1024 * 1024) < body.Length)
            {
                await Task.Yield();
            }
        }

        // The connection ends within the close timeout; what was queued went back to the account.
        await Eventually.WaitUntilAsync(() => !tracker.Sessions.Contains(session), TimeSpan.FromSeconds(15));
        Assert.True(offered > limit, $"disconnected after only {offered:N0} bytes");
        Assert.True(maxPending <= limit + (12 * 1024), $"{maxPending:N0} bytes were pending");
        GC.Collect();
        var retained = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Assert.True(retained < 16 * 1024 * 1024, $"{retained:N0} bytes retained after offering {offered:N0}");

        await healthy.PingSessionAsync();
    }

    [Fact]
    public async Task Client_flooded_by_another_client_is_disconnected_and_the_sender_is_fine()
    {
        await using var server = await TestServer.StartAsync(
            "--Gateway:Limits:MaxPendingSendBytes=262144",
            "--Gateway:Limits:CloseTimeout=00:00:01",
            "--Xmpp:OfflineMessageLimit=100000", // what the slow client did not get waits offline: no errors to the flooder
            "--Xmpp:OfflineMessagesPerSender=0"); // nor a share per sender, whose errors would flood the flooder, which does not read
        await server.AddUserAsync("slow", "pencil");
        await server.AddUserAsync("flooder", "pencil");
        await using var slow = await server.LoginAsync("slow", "pencil", "r");
        await using var flooder = await server.LoginAsync("flooder", "pencil", "r");
        var tracker = server.Services.GetRequiredService<SessionTracker>();
        var session = tracker.Sessions.Single(s => s.Jid?.ToString() == "slow@localhost/r");

        var stanza = Encoding.UTF8.GetBytes($"<message to='slow@localhost/r' type='chat'><body>{new string('z', 8 * 1024)}</body></message>");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (tracker.Sessions.Contains(session) && DateTime.UtcNow < deadline)
        {
            await flooder.SendAsync(stanza);
        }

        await Eventually.WaitUntilAsync(() => !tracker.Sessions.Contains(session), TimeSpan.FromSeconds(15));
        await flooder.PingSessionAsync();
    }
}
