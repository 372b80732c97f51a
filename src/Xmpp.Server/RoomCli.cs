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

        return await RunningServerClient.RunAsync(orleans, error, grains => words switch
        {
            [_, "destroy", var room] => DestroyAsync(grains, RoomJid(room, mucHost), reason, output, error),
            _ => ListAsync(grains, mucHost, output),
        });
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
