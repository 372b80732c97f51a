using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Xmpp.Grains.Diagnostics;
using Xmpp.Gateway.Sessions;

namespace Xmpp.Gateway.WebSockets;

/// <summary>The RFC 7395 endpoint: <c>GET /xmpp-websocket</c> upgraded with the <c>xmpp</c> sub-protocol.</summary>
public static class XmppWebSocketEndpoint
{
    public const string Path = "/xmpp-websocket";

    /// <summary>§3.1: the sub-protocol both sides must agree on.</summary>
    public const string SubProtocol = "xmpp";

    public static IEndpointConventionBuilder MapXmppWebSocket(this WebApplication app)
    {
        app.UseWebSockets();
        return app.Map(Path, HandleAsync);
    }

    private static async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.OrdinalIgnoreCase))
        {
            // §3.1: without the 'xmpp' sub-protocol this is not an XMPP client.
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var context = http.RequestServices.GetRequiredService<SessionContext>();
        if (!OriginAllowed(http.Request.Headers.Origin, context.Options.WebSocket.AllowedOrigins))
        {
            // RFC 6455 §10.2: a page of another site may not use this server through its visitors' browsers.
            context.Logger.LogInformation("Refused a WebSocket connection from {Remote}: origin {Origin} is not allowed (Gateway:WebSocket:AllowedOrigins)", http.Connection.RemoteIpAddress, http.Request.Headers.Origin.ToString());
            http.RequestServices.GetRequiredService<LimitMetrics>().Hit(LimitMetrics.WebSocketOrigin);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = SubProtocol,
            KeepAliveInterval = TimeSpan.FromSeconds(30),
        });

        var remote = http.Connection.RemoteIpAddress is { } ip ? new System.Net.IPEndPoint(ip, http.Connection.RemotePort) : null;
        var transport = new WebSocketTransport(socket, remote, http.Request.IsHttps, context.LimitsBeforeAuthentication);
        await new XmppSession(context, transport).RunAsync();
    }

    /// <summary>Any origin when none are listed, or no Origin at all (not a browser); else one of the list (RFC 6454 serializations compare without case).</summary>
    private static bool OriginAllowed(StringValues origin, IList<string> allowed) =>
        allowed.Count == 0 || StringValues.IsNullOrEmpty(origin)
        || allowed.Any(a => string.Equals(a.TrimEnd('/'), origin.ToString().TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
