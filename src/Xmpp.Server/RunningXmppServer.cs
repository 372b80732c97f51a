using System.Net;
using Microsoft.Extensions.Hosting;

namespace Xmpp.Server;

/// <summary>A started server; disposing it shuts it down in order (sessions get system-shutdown).</summary>
public sealed class RunningXmppServer : IAsyncDisposable
{
    private readonly IHost _app;

    internal RunningXmppServer(IHost app, IPEndPoint c2sEndpoint, IPEndPoint? webSocketEndpoint, IPEndPoint? managementEndpoint)
    {
        _app = app;
        C2sEndpoint = c2sEndpoint;
        WebSocketEndpoint = webSocketEndpoint;
        ManagementEndpoint = managementEndpoint;
    }

    /// <summary>Where the c2s listener is bound (the real port when 0 was asked for).</summary>
    public IPEndPoint C2sEndpoint { get; }

    /// <summary>Where the WebSocket listener is bound (path /xmpp-websocket), or null when it is off.</summary>
    public IPEndPoint? WebSocketEndpoint { get; }

    /// <summary>Where the management endpoint (/healthz, /readyz, /metrics) is bound, or null when it is off.</summary>
    public IPEndPoint? ManagementEndpoint { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Completes when the server is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            if (_app is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                _app.Dispose();
            }
        }
    }
}
