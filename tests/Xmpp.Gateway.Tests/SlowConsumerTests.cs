using Microsoft.Extensions.DependencyInjection;
using Xmpp.Gateway.Sessions;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// A client that stops reading, over real sockets: it is cut off, and every message sent to it
/// either reached its socket or waits in offline storage for its return; none vanishes. Megabytes
/// of messages: not run beside the tests that measure memory.
/// </summary>
[Collection(nameof(MemorySensitive))]
public sealed class SlowConsumerTests
{
    [Fact]
    public async Task Every_message_a_client_that_stopped_reading_did_not_get_waits_offline_for_its_return()
    {
        const int count = 2000;
        await using var server = await TestServer.StartAsync(
            "--Gateway:Limits:MaxPendingSendBytes=65536",
            "--Gateway:Limits:CloseTimeout=00:00:01",
            // The backlog may reach the slow client as one batch over the bound; the returning
            // client gets its offline messages as one batch too, and on two busy cores (the other
            // test assemblies run meanwhile) it may take a second to start reading them.
            "--Gateway:Limits:SendStallTimeout=00:00:04",
            "--Gateway:Limits:SocketSendBufferBytes=16384", // else the kernel takes megabytes first
            $"--Xmpp:OfflineMessageLimit={count}",
            "--Xmpp:OfflineMessagesPerSender=0", // what arrives after the cut waits offline too, however much of it is the sender's
            "--management-port", "-1");
        await server.AddUserAsync("slow", "pencil");
        await server.AddUserAsync("sender", "pencil");
        var tracker = server.Services.GetRequiredService<SessionTracker>();
        await using var slow = await XmppTestClient.LoginAsync(server.Endpoint, "slow", "pencil", "r", receiveBufferSize: 4096);
        await slow.SendAsync("<presence/>");
        await slow.ReadUntilAsync(e => e.Name == Stanza.Presence); // its own presence; from now on it reads nothing
        await using var sender = await server.LoginAsync("sender", "pencil", "r");

        var filler = new string('x', 1000);
        for (var i = 0; i < count; i++)
        {
            await sender.SendAsync($"<message to='slow@localhost' type='chat' id='m{i}'><body>{filler}</body></message>");
        }

        var slowSession = tracker.Sessions.Single(s => s.Jid?.ToString() == "slow@localhost/r");
        await Eventually.WaitUntilAsync(() => !tracker.Sessions.Contains(slowSession), TimeSpan.FromSeconds(30), () => $"closing {slowSession.IsClosing}, {slowSession.PendingSendBytes} bytes pending");

        Assert.Equal(1, (await MetricsScrape.ReadAsync(server.Server.ManagementEndpoint!)).Value("xmpp_send_queue_drops_total"));

        // What reached the slow client's socket before it was cut off.
        var received = new HashSet<string>();
        try
        {
            while (true)
            {
                if (await slow.ReadEventAsync(TimeSpan.FromSeconds(20)) is StanzaReceived { Stanza: { Name: Stanza.Message, Id: { } id } })
                {
                    received.Add(id);
                }
            }
        }
        catch (EndOfStreamException)
        {
            // The server closed the connection after what it could write.
        }

        // The rest comes from offline storage when it returns.
        await using var back = await server.LoginAsync("slow", "pencil", "again");
        await back.SendAsync("<presence/>");
        var missing = Enumerable.Range(0, count).Select(i => $"m{i}").Where(id => !received.Contains(id)).ToHashSet();
        Assert.NotEmpty(missing); // it was cut off before everything reached it
        var fromOffline = 0;
        while (missing.Count > 0)
        {
            Element stanza;
            try
            {
                stanza = await back.ReadElementAsync();
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{missing.Count} never arrived (e.g. {string.Join(", ", missing.Take(5))}); {received.Count} reached the socket, {fromOffline} came from offline storage");
                throw;
            }

            if (stanza.Name == Stanza.Message && stanza.Id is { } id)
            {
                Assert.NotNull(stanza.Child("delay", Namespaces.Delay));
                missing.Remove(id);
                fromOffline++;
            }
        }

        // The sender was never told of a failure, and is fine.
        await sender.SendAsync("<iq type='get' id='last' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        Element reply;
        while ((reply = await sender.ReadElementAsync()).Id != "last")
        {
            Assert.NotEqual("error", reply.Type);
        }

        Assert.Equal("result", reply.Type);
    }
}
