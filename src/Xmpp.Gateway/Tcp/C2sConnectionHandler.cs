using Microsoft.AspNetCore.Connections;
using Xmpp.Gateway.Sessions;
using Xmpp.Gateway.Transport;

namespace Xmpp.Gateway.Tcp;

/// <summary>
/// Kestrel entry point for client-to-server TCP connections (<c>ListenOptions.UseConnectionHandler</c>):
/// wraps the connection in a <see cref="TcpTransport"/> and runs one <see cref="XmppSession"/> on it.
/// Shutdown is the tracker's job (system-shutdown to every session); Kestrel aborts connections
/// still open at its deadline.
/// </summary>
public sealed class C2sConnectionHandler(SessionContext context, SessionTracker tracker) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        var transport = new TcpTransport(connection, context.LimitsBeforeAuthentication, context.TlsAvailable);
        return SessionRunner.RunAsync(new XmppSession(context, transport), tracker, transport.RemoteEndPoint?.Address);
    }
}
