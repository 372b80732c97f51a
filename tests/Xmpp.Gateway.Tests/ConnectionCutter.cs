using System.Net;
using System.Net.Sockets;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// A loopback TCP relay to a service, for outages on demand: <see cref="Cut"/> drops every relayed
/// connection and refuses new ones, <see cref="Restore"/> listens again on the same port. The
/// service itself keeps running, with everything it stored.
/// </summary>
public sealed class ConnectionCutter : IAsyncDisposable
{
    private readonly int _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _running;
    private Task? _accepting;

    public ConnectionCutter(int targetPort)
    {
        _target = targetPort;
        Port = Azurite.FreePort();
        Restore();
    }

    /// <summary>Where clients connect instead of the service.</summary>
    public int Port { get; }

    public void Restore()
    {
        _running = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _running.Token);
    }

    public async Task CutAsync()
    {
        await _running!.CancelAsync();
        _listener!.Stop();
        await _accepting!;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is { IsCancellationRequested: false })
        {
            await CutAsync();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var outbound = new TcpClient();
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = RelayAsync(inbound, outbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound, TcpClient outbound)
    {
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _target);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Cut, or one side closed.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
