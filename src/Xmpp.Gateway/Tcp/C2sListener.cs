using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Gateway.Sessions;
using Xmpp.Gateway.Transport;

namespace Xmpp.Gateway.Tcp;

/// <summary>
/// The client-to-server TCP listener (RFC 6120): accepts connections and runs one
/// <see cref="XmppSession"/> over a <see cref="SocketTransport"/> on each. It owns its sockets
/// instead of running under Kestrel because a server framework's per-connection machinery (pipes,
/// their buffers and loops) is most of what an idle XMPP connection would cost.
/// <para>
/// Stopping: the listener closes first; the tracker has told every session <c>system-shutdown</c>
/// (application stopping), and the listener waits for them to end up to
/// <see cref="GatewayOptions.ShutdownTimeout"/>, then aborts the rest.
/// </para>
/// </summary>
public sealed class C2sListener(SessionContext context, SessionTracker tracker, IOptions<GatewayOptions> options, ILogger<C2sListener> logger)
    : IHostedService, IDisposable
{
    private const int Backlog = 512;
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private Socket? _listener;
    private Task? _acceptLoop;
    private volatile bool _stopping;

    /// <summary>Where the listener is bound (the real port when port 0 was asked for), once started.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Whether new connections are accepted: from the start until the server begins to stop.</summary>
    public bool IsAccepting => _listener is not null && !_stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var gateway = options.Value;
        var listener = Bind(ListenAddress.Parse(gateway.ListenAddress), Math.Max(gateway.C2sPort, 0));
        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync(listener);
        return Task.CompletedTask;
    }

    /// <summary>Binds the address, or every interface: IPv6 dual-stack where the host has IPv6, else IPv4.</summary>
    private static Socket Bind(IPAddress? address, int port)
    {
        if (address is not null)
        {
            return BindTo(new IPEndPoint(address, port), dualMode: false);
        }

        try
        {
            return BindTo(new IPEndPoint(IPAddress.IPv6Any, port), dualMode: true);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported)
        {
            return BindTo(new IPEndPoint(IPAddress.Any, port), dualMode: false);
        }
    }

    private static Socket BindTo(IPEndPoint endpoint, bool dualMode)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (dualMode)
            {
                socket.DualMode = true;
            }

            // A restarted server must not wait for the old connections' TIME_WAIT (as Kestrel on Unix).
            if (!OperatingSystem.IsWindows())
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(endpoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
        {
            socket.Dispose();
            throw new IOException($"Cannot listen for clients on {endpoint} (Gateway:C2sPort, Gateway:ListenAddress): {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                return; // stopped
            }
            catch (SocketException e)
            {
                // Out of descriptors or memory: existing sessions go on; try again shortly.
                logger.LogWarning(e, "Accepting a c2s connection failed");
                await Task.Delay(AcceptRetryDelay);
                continue;
            }

            Start(socket);
        }
    }

    private void Start(Socket socket)
    {
        try
        {
            socket.NoDelay = true; // stanzas are small; latency matters more than packet count
            if (options.Value.Limits.SocketSendBufferBytes is > 0 and var sendBuffer)
            {
                socket.SendBufferSize = sendBuffer; // fixed: the kernel no longer grows it for a slow reader
            }
            var transport = new SocketTransport(socket, context.LimitsBeforeAuthentication, context.TlsAvailable);
            _ = new XmppSession(context, transport).RunAsync();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose(); // reset before we got to it
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        // The sessions were told system-shutdown when the application began stopping; give them
        // Gateway:ShutdownTimeout to say goodbye, then drop the rest.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.ShutdownTimeout);
        try
        {
            while (tracker.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            tracker.AbortAll("the server stopped");
        }
    }

    public void Dispose() => _listener?.Dispose();
}
