using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Server;
using Xmpp.Server.Cluster;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// The admin CLI's room commands against a running server, as an Orleans client through its
/// gateway port over real TCP: they see and destroy the rooms that clients made.
/// </summary>
public sealed class RoomCliTests
{
    [Fact]
    public async Task Room_list_and_destroy_reach_the_running_servers_rooms()
    {
        var gatewayPort = SiloConfiguration.FreeLoopbackPort();
        await using var server = await TestServer.StartAsync($"--Orleans:GatewayPort={gatewayPort}");
        await server.AddUserAsync("romeo", "secret");
        await using var romeo = await server.LoginAsync("romeo", "secret", "desk");
        await romeo.SendAsync("<presence to='cell@conference.localhost/Romeo'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        await romeo.ReadUntilAsync(e => e.Child("subject", Namespaces.Client) is not null);
        await romeo.SendAsync("<iq type='set' id='instant' to='cell@conference.localhost'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
        await romeo.ReadUntilAsync(e => e.Id == "instant");

        var (code, output, error) = await RunAsync("room", "list", $"--Orleans:GatewayPort={gatewayPort}");
        Assert.Equal((0, "cell@conference.localhost"), (code, output.Trim()));
        Assert.Empty(error);

        (code, output, _) = await RunAsync("room", "destroy", "cell", "--reason", "Closing time", $"--Orleans:GatewayPort={gatewayPort}");
        Assert.Equal((0, "Room cell@conference.localhost destroyed."), (code, output.Trim()));

        // XEP-0045 §10.9: the occupant is told why.
        var gone = await romeo.ReadUntilAsync(e => e.Name == Stanza.Presence && e.Type == "unavailable");
        Assert.Equal("Closing time", gone.Child("x", Namespaces.MucUser)?.Child("destroy", Namespaces.MucUser)?.ChildText("reason", Namespaces.MucUser));

        (code, output, _) = await RunAsync("room", "list", $"--Orleans:GatewayPort={gatewayPort}");
        Assert.Equal((0, ""), (code, output.Trim()));
        (code, _, error) = await RunAsync("room", "destroy", "cell@conference.localhost", $"--Orleans:GatewayPort={gatewayPort}");
        Assert.Equal((1, "There is no room cell@conference.localhost."), (code, error.Trim()));
    }

    [Fact]
    public async Task Without_a_server_the_command_says_so_in_one_line()
    {
        var (code, output, error) = await RunAsync("room", "list", $"--Orleans:GatewayPort={SiloConfiguration.FreeLoopbackPort()}");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith("Cannot reach the server on 127.0.0.1:", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Wrong_words_print_the_usage()
    {
        var (code, _, error) = await RunAsync("room", "explode");

        Assert.Equal(2, code);
        Assert.StartsWith("Usage: room list | room destroy ROOM", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await RoomCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
