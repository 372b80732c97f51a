using System.Net.WebSockets;
using System.Text;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>XMPP over WebSocket (RFC 7395) on the same session class as TCP.</summary>
public sealed class WebSocketTests
{
    [Fact]
    public async Task Open_authenticate_bind_and_close_over_websocket()
    {
        await using var server = await TestServer.StartAsync("--ws-port", "-1");
        await server.AddUserAsync("alice", "pencil");
        var endpoint = server.Server.WebSocketEndpoint!;

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("xmpp");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{endpoint.Port}/xmpp-websocket"), CancellationToken.None);
        Assert.Equal("xmpp", socket.SubProtocol);

        await SendAsync(socket, "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>");
        var open = await ReceiveAsync(socket);
        Assert.True(open.Is("open", Namespaces.Framing));
        Assert.Equal("localhost", open.From);
        var features = await ReceiveAsync(socket);
        Assert.True(features.Is("features", Namespaces.Stream));
        Assert.Null(features.Child("starttls", Namespaces.Tls)); // TLS belongs to the HTTP layer

        await SendAsync(socket, $"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0pencil"))}</auth>");
        Assert.True((await ReceiveAsync(socket)).Is("success", Namespaces.Sasl));

        await SendAsync(socket, "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>");
        Assert.True((await ReceiveAsync(socket)).Is("open", Namespaces.Framing));
        Assert.NotNull((await ReceiveAsync(socket)).Child("bind", Namespaces.Bind));

        await SendAsync(socket, "<iq type='set' id='b1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>web</resource></bind></iq>");
        var bound = await ReceiveUntilAsync(socket, e => e.Id == "b1");
        Assert.Equal("alice@localhost/web", bound.Child("bind", Namespaces.Bind)!.ChildText("jid", Namespaces.Bind));

        await SendAsync(socket, "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        var close = await ReceiveUntilAsync(socket, e => e.Is("close", Namespaces.Framing));
        Assert.NotNull(close);
    }

    [Fact]
    public async Task Only_the_allowed_web_origins_may_connect()
    {
        await using var server = await TestServer.StartAsync("--ws-port", "-1", "--management-port", "-1", "--Gateway:WebSocket:AllowedOrigins:0=https://chat.example.org");
        var url = new Uri($"ws://127.0.0.1:{server.Server.WebSocketEndpoint!.Port}/xmpp-websocket");

        async Task<System.Net.HttpStatusCode> ConnectAsync(string? origin)
        {
            using var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("xmpp");
            socket.Options.CollectHttpResponseDetails = true;
            if (origin is not null)
            {
                socket.Options.SetRequestHeader("Origin", origin);
            }

            try
            {
                await socket.ConnectAsync(url, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // The status says why.
            }

            return socket.HttpStatusCode;
        }

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, await ConnectAsync("https://evil.example"));
        Assert.Equal(System.Net.HttpStatusCode.SwitchingProtocols, await ConnectAsync("https://CHAT.example.org"));
        Assert.Equal(System.Net.HttpStatusCode.SwitchingProtocols, await ConnectAsync(null)); // not a browser

        var metrics = await MetricsScrape.ReadAsync(server.Server.ManagementEndpoint!);
        Assert.True(metrics.Value("xmpp_limit_hits_total", ("limit", "websocket_origin")) >= 1);
    }

    [Fact]
    public async Task Websocket_is_off_with_port_zero()
    {
        await using var server = await TestServer.StartAsync("--ws-port", "0");
        Assert.Null(server.Server.WebSocketEndpoint);
    }

    private static Task SendAsync(ClientWebSocket socket, string xml) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(xml), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private static async Task<Element> ReceiveUntilAsync(ClientWebSocket socket, Func<Element, bool> match)
    {
        while (true)
        {
            var element = await ReceiveAsync(socket);
            if (match(element))
            {
                return element;
            }
        }
    }

    private static async Task<Element> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            length += result.Count;
            if (result.EndOfMessage)
            {
                break;
            }
        }

        // RFC 7395 §3.4: each message stands alone, namespaces declared.
        return XmlText.Parse(Encoding.UTF8.GetString(buffer, 0, length), defaultNamespace: string.Empty);
    }
}
