using Microsoft.AspNetCore.Server.Kestrel.Core;
using Xmpp.Gateway.Tcp;

namespace Xmpp.Server;

/// <summary>One HTTP/1.1 endpoint of Kestrel (the WebSocket endpoint, the management port).</summary>
internal static class HttpListen
{
    /// <summary>
    /// Binds <paramref name="port"/> (none for 0, a free one for a negative port) on
    /// <paramref name="address"/> (every interface when empty, see <see cref="ListenAddress"/>);
    /// returns its listen options, whose endpoint holds the bound port once Kestrel runs.
    /// </summary>
    public static ListenOptions? Bind(KestrelServerOptions kestrel, int port, string? address, string addressSetting)
    {
        if (port == 0)
        {
            return null;
        }

        ListenOptions? bound = null;
        void Http1(ListenOptions options)
        {
            options.Protocols = HttpProtocols.Http1;
            bound = options;
        }

        if (ListenAddress.Parse(address, addressSetting) is { } ip)
        {
            kestrel.Listen(ip, Math.Max(port, 0), Http1);
        }
        else
        {
            kestrel.ListenAnyIP(Math.Max(port, 0), Http1);
        }

        return bound;
    }
}
