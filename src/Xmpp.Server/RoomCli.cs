using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Xmpp.Grains;
using Xmpp.Grains.Muc;
using Xmpp.Server.Cluster;

namespace Xmpp.Server;

/// <summary>
/// <c>room list</c> and <c>room destroy ROOM [--reason R]</c>: the running server's rooms, reached
/// as an Orleans client through its gateway port (<c>Orleans:GatewayPort</c>, with the same
/// <c>--config</c> and settings as the server), since rooms live in the server's grains.
/// </summary>
internal static class RoomCli
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var words = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var (reason, options) = TakeReason(args[words.Length..]);

        var configuration = new ConfigurationManager();
        ServerConfiguration.Apply(configuration, options, ServerConfiguration.EnvironmentName());
        var orleans = SiloConfiguration.Read(configuration);
        var xmpp = configuration.GetSection(XmppOptions.SectionName).Get<XmppOptions>() ?? new XmppOptions();
        var mucHost = xmpp.Muc.HostFor(xmpp.Domain);
        if (words is not ([_, "list" or "ls"] or [_, "destroy", _]))
        {
            await error.WriteLineAsync("Usage: room list | room destroy ROOM [--reason TEXT]   (ROOM: name or name@" + mucHost + ")");
            return 2;
        }

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
            var grains = host.Services.GetRequiredService<IClusterClient>();
            return words switch
            {
                [_, "destroy", var room] => await DestroyAsync(grains, RoomJid(room, mucHost), reason, output, error),
                _ => await ListAsync(grains, mucHost, output),
            };
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

    private static async Task<int> ListAsync(IClusterClient grains, string mucHost, TextWriter output)
    {
        foreach (var room in await grains.GetGrain<IMucServiceGrain>(mucHost).ListRoomsAsync())
        {
            await output.WriteLineAsync(room);
        }

        return 0;
    }

    private static async Task<int> DestroyAsync(IClusterClient grains, string? room, string? reason, TextWriter output, TextWriter error)
    {
        if (room is null)
        {
            await error.WriteLineAsync("Not a room address.");
            return 1;
        }

        // XEP-0045 §10.9: the occupants are told, with the reason; a persistent room leaves a tombstone.
        if (!await grains.GetGrain<IRoomGrain>(room).DestroyAsync(null, reason))
        {
            await error.WriteLineAsync($"There is no room {room}.");
            return 1;
        }

        await output.WriteLineAsync($"Room {room} destroyed.");
        return 0;
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

    /// <summary><c>name</c> or <c>name@host</c> as the room's prepared bare JID, or null when it is not one.</summary>
    private static string? RoomJid(string room, string mucHost) =>
        Jid.TryParse(room.Contains('@', StringComparison.Ordinal) ? room : $"{room}@{mucHost}", out var jid) && jid.Local is not null && jid.IsBare
            ? jid.ToString()
            : null;

    /// <summary>Takes <c>--reason TEXT</c> (or <c>--reason=TEXT</c>) out of the options; the rest are settings.</summary>
    private static (string? Reason, string[] Options) TakeReason(string[] options)
    {
        var rest = new List<string>();
        string? reason = null;
        for (var i = 0; i < options.Length; i++)
        {
            if (options[i] == "--reason" && i + 1 < options.Length)
            {
                reason = options[++i];
            }
            else if (options[i].StartsWith("--reason=", StringComparison.Ordinal))
            {
                reason = options[i]["--reason=".Length..];
            }
            else
            {
                rest.Add(options[i]);
            }
        }

        return (reason, [.. rest]);
    }
}
