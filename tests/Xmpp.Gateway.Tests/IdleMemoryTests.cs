using System.Net.Sockets;
using System.Text;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// Memory budget of an idle connection (the server's RSS target is 12 KiB): many raw sockets sit at
/// a negotiation stage and the managed heap growth per connection is measured. It includes the
/// test's own client Socket; measured 4.4 KB negotiating and 5.9 KB bound. Holding a 4 KiB read or
/// write buffer per idle connection, or a framework's per-connection pipes, would blow it.
/// </summary>
[Collection(nameof(MemorySensitive))]
public sealed class IdleMemoryTests
{
    private const string Header = "<stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    [Theory]
    [InlineData(false, 5632)]
    [InlineData(true, 7 * 1024)]
    public async Task Idle_connection_stays_within_its_budget(bool bound, int budget)
    {
        await using var server = await TestServer.StartAsync("--Gateway:Limits:MaxConnectionsPerAddress=0");
        await server.AddUserAsync("alice", "pencil");
        var buffer = new byte[64 * 1024];
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                sockets.Add(await OpenAsync(server, buffer, bound, "warm" + i)); // warm up pools and JIT
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            const int count = 500;
            for (var i = 0; i < count; i++)
            {
                sockets.Add(await OpenAsync(server, buffer, bound, "r" + i));
            }

            await Task.Delay(300);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var perConnection = (GC.GetTotalMemory(forceFullCollection: true) - before) / count;
            Assert.True(perConnection < budget, $"{perConnection:N0} bytes per idle connection");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<Socket> OpenAsync(TestServer server, byte[] buffer, bool bind, string resource)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Endpoint);
        await ExchangeAsync(socket, buffer, Header, "</stream:features>");
        if (bind)
        {
            await ExchangeAsync(socket, buffer, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHBlbmNpbA==</auth>", "<success");
            await ExchangeAsync(socket, buffer, Header, "</stream:features>");
            await ExchangeAsync(socket, buffer, $"<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{resource}</resource></bind></iq>", "</iq>");
        }

        return socket;
    }

    private static async Task ExchangeAsync(Socket socket, byte[] buffer, string send, string until)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(send));
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.ToString().IndexOf(until, StringComparison.Ordinal) < 0)
        {
            var n = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(0, n);
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }
}
