using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xmpp.Grains;
using Xmpp.Server;

namespace Xmpp.Gateway.Tests;

/// <summary>The executable's surface: configuration layering, listener ports and the admin CLI.</summary>
public sealed class ServerHostTests
{
    [Fact]
    public async Task Port_zero_binds_a_free_loopback_port()
    {
        await using var server = await TestServer.StartAsync();
        Assert.NotEqual(0, server.Endpoint.Port);
        Assert.Equal(System.Net.IPAddress.Loopback, server.Endpoint.Address);
    }

    [Fact]
    public async Task Config_file_is_layered_over_appsettings_and_under_the_command_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"xmpp-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "Xmpp": { "Domain": "example.test", "SoftwareName": "FromFile" } }""");
        try
        {
            await using var server = await TestServer.StartAsync("--config", file, "--Xmpp:SoftwareName=FromCommandLine");
            var options = server.Services.GetRequiredService<IOptions<XmppOptions>>().Value;
            Assert.Equal("example.test", options.Domain);
            Assert.Equal("FromCommandLine", options.SoftwareName);

            await using var client = await XmppTestClient.ConnectAsync(server.Endpoint, "example.test");
            await client.OpenStreamAsync();
            Assert.Equal("example.test", client.ServerHeader!.From);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Conformance_profile_starts_with_open_plain_authentication()
    {
        var profile = FindRepositoryFile("spec/scansion/conformance.json");
        await using var server = await TestServer.StartAsync("--config", profile);
        var options = server.Services.GetRequiredService<IOptions<XmppOptions>>().Value;
        Assert.Equal("Prosody", options.SoftwareName);
        Assert.Contains("admin@localhost", options.Admins);

        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Equal(["PLAIN"], client.Mechanisms);

        // Any password creates the account and logs in; the account then exists.
        Assert.Null(await client.AuthenticateAsync("PLAIN", "romeo", "whatever"));
        await client.BindAsync("balcony");
        await using var again = await server.LoginAsync("romeo", "something else", "garden", mechanism: "PLAIN");
        Assert.Equal("romeo@localhost/garden", again.Jid!.ToString());
    }

    [Fact]
    public async Task Admin_cli_manages_users_in_the_configured_sqlite_store()
    {
        var directory = Path.Combine(Path.GetTempPath(), "xmpp-gateway-tests", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(directory, "users.db");
        string[] storage = ["--Storage:Provider=Sqlite", $"--Storage:Path={database}", "--Gateway:Auth:ScramIterations=4096"];

        Assert.Equal(0, await ServerProgram.RunAsync(["user", "add", "Bob", "builder", .. storage]));
        Assert.Equal(1, await ServerProgram.RunAsync(["user", "add", "bob", "again", .. storage]));
        Assert.Equal(0, await ServerProgram.RunAsync(["user", "list", .. storage]));

        await using (var server = await TestServer.StartAsync([.. storage]))
        {
            await using var bob = await server.LoginAsync("bob", "builder", "r");
            Assert.Equal("bob@localhost/r", bob.Jid!.ToString());
        }

        Assert.Equal(0, await ServerProgram.RunAsync(["user", "passwd", "bob", "digger", .. storage]));
        await using (var server = await TestServer.StartAsync([.. storage]))
        {
            await using var bob = await server.LoginAsync("bob", "digger", "r", mechanism: "SCRAM-SHA-1");
            await using var client = await server.ConnectAsync();
            await client.OpenStreamAsync();
            Assert.Equal("not-authorized", await client.AuthenticateAsync("PLAIN", "bob", "builder"));
        }

        // Removal goes through the running server (the account's grain).
        var gatewayPort = Xmpp.Server.Cluster.SiloConfiguration.FreeLoopbackPort();
        await using (var server = await TestServer.StartAsync([.. storage, $"--Orleans:GatewayPort={gatewayPort}"]))
        {
            Assert.Equal(0, await ServerProgram.RunAsync(["user", "delete", "bob", .. storage, $"--Orleans:GatewayPort={gatewayPort}"]));
            Assert.Equal(1, await ServerProgram.RunAsync(["user", "delete", "bob", .. storage, $"--Orleans:GatewayPort={gatewayPort}"]));
        }

        Assert.Equal(2, await ServerProgram.RunAsync(["user", "frobnicate", .. storage]));
    }

    private static string FindRepositoryFile(string relative)
    {
        var root = typeof(ServerHostTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        return Path.Combine(root, relative);
    }
}
