namespace Xmpp.Gateway.Tests;

/// <summary>Idle and negotiation timeouts end the stream with connection-timeout (RFC 6120 §4.9.3.4).</summary>
public sealed class TimeoutTests
{
    [Fact]
    public async Task Idle_bound_session_gets_connection_timeout()
    {
        await using var server = await TestServer.StartAsync("--Gateway:Limits:IdleTimeout=00:00:02");
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", "r");

        // The server reads the space after it is sent, so its idle clock cannot run out sooner
        // than 2 s from here, however slowly the login went (the margin covers clock granularity).
        var started = DateTime.UtcNow;
        await client.SendAsync(" ");
        Assert.Equal("connection-timeout", await client.ReadStreamErrorAsync(TimeSpan.FromSeconds(10)));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.9));
    }

    [Fact]
    public async Task Whitespace_keepalives_count_as_activity()
    {
        await using var server = await TestServer.StartAsync("--Gateway:Limits:IdleTimeout=00:00:02");
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", "r");
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(250);
            await client.SendAsync(" ");
        }

        await client.PingSessionAsync(); // still alive after 3 s with a 2 s idle timeout
    }

    [Fact]
    public async Task Slow_negotiation_gets_connection_timeout()
    {
        await using var server = await TestServer.StartAsync("--Gateway:Limits:NegotiationTimeout=00:00:00.5");
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Equal("connection-timeout", await client.ReadStreamErrorAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Server_sends_whitespace_keepalives_when_configured()
    {
        await using var server = await TestServer.StartAsync("--Gateway:Limits:WhitespacePingInterval=00:00:00.2");
        await server.AddUserAsync("alice", "pencil");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(server.Endpoint);
        const string header = "<stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        await ExchangeAsync(socket, header, "</stream:features>");
        await ExchangeAsync(socket, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHBlbmNpbA==</auth>", "<success");
        await ExchangeAsync(socket, header, "</stream:features>");
        await ExchangeAsync(socket, "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>", "</iq>");

        // RFC 6120 §4.6.1: spaces between stanzas (a late read may find several pings waiting).
        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var n = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Matches("^ +$", System.Text.Encoding.UTF8.GetString(buffer, 0, n));
    }

    private static async Task ExchangeAsync(System.Net.Sockets.Socket socket, string send, string until)
    {
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(send));
        var received = string.Empty;
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!received.Contains(until, StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(0, n);
            received += System.Text.Encoding.UTF8.GetString(buffer, 0, n);
        }
    }
}
