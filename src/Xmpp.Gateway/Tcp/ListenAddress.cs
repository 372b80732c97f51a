using System.Net;

namespace Xmpp.Gateway.Tcp;

/// <summary>Reads <see cref="GatewayOptions.ListenAddress"/>, shared by the c2s and WebSocket listeners.</summary>
public static class ListenAddress
{
    /// <summary>The address to bind, or null for every interface (empty, <c>*</c> or <c>any</c>).</summary>
    public static IPAddress? Parse(string? address, string setting = "Gateway:ListenAddress")
    {
        if (string.IsNullOrWhiteSpace(address) || address is "*" or "any")
        {
            return null;
        }

        if (address.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(address, out var ip)
            ? ip
            : throw new InvalidOperationException($"{setting} '{address}' is not an IP address (or 'localhost', or empty for all interfaces).");
    }
}
