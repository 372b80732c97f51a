using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Xmpp.Server.Cluster;

namespace Xmpp.Server;

/// <summary>
/// The admin commands that act on what lives in the running server's grains (rooms; an account's
/// removal, which must go through the account's grain so that no activation keeps what storage
/// no longer has): they reach it as an Orleans client through its gateway port
/// (<c>Orleans:GatewayPort</c>, with the same <c>--config</c> and settings as the server).
/// </summary>
internal static class RunningServerClient
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs <paramref name="work"/> with the server's grains; a server that cannot be reached is one line on <paramref name="error"/> and exit code 1.</summary>
    public static async Task<int> RunAsync(OrleansSettings orleans, TextWriter error, Func<IClusterClient, Task<int>> work)
    {
        if (orleans.GatewayPort == 0)
        {
            await error.WriteLineAsync("Orleans:GatewayPort is 0 (a free port picked at start): give the running server's port, --Orleans:GatewayPort=N.");
            return 1;
        }

        // Orleans' client keeps retrying a gateway that is not there; a plain connect says so at once.
        if (await ProbeAsync(orleans.GatewayPort) is { } refused)
        {
            await error.WriteLineAsync($"Cannot reach the server on 127.0.0.1:{orleans.GatewayPort} (Orleans:GatewayPort): {refused}. Is it running?");
            return 1;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(orleans.GatewayPort, orleans.ServiceId, orleans.ClusterId));
        using var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            await host.StartAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var why = e is OperationCanceledException ? $"no Orleans answer within {ConnectTimeout.TotalSeconds:0} s" : e.Message.Split('\n')[0];
            await error.WriteLineAsync($"Cannot reach the server on 127.0.0.1:{orleans.GatewayPort} (Orleans:GatewayPort): {why}. Is it the server's gateway port?");
            return 1;
        }

        try
        {
            return await work(host.Services.GetRequiredService<IClusterClient>());
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            await error.WriteLineAsync($"The server did not answer: {e.Message.Split('\n')[0]}");
            return 1;
        }
        finally
        {
            try
            {
                await host.StopAsync();
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException)
            {
                // Already said what mattered; leaving the cluster untidily is harmless.
            }
        }
    }

    /// <summary>Null when something listens on the port, else why not.</summary>
    private static async Task<string?> ProbeAsync(int port)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, timeout.Token);
            return null;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return e.Message.TrimEnd('.');
        }
        catch (OperationCanceledException)
        {
            return "no answer";
        }
    }
}
