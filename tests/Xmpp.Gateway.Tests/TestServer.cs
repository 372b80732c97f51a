using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Gateway.Sasl;
using Xmpp.Storage;
using Xmpp.Server;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// A real server on an ephemeral loopback port with in-memory storage and its own data folder
/// (for the generated certificate). Extra arguments override settings, e.g.
/// <c>--Gateway:LoopbackIsSecure=false</c>.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(RunningXmppServer server, string dataDirectory)
    {
        Server = server;
        DataDirectory = dataDirectory;
    }

    public RunningXmppServer Server { get; }

    public string DataDirectory { get; }

    public IPEndPoint Endpoint => Server.C2sEndpoint;

    public IServiceProvider Services => Server.Services;

    public static Task<TestServer> StartAsync(params string[] overrides) => StartInAsync(null, overrides);

    /// <summary>As <see cref="StartAsync"/>, with a given data folder (to test what persists there).</summary>
    public static Task<TestServer> StartInAsync(string? dataDirectory, params string[] overrides) => StartInAsync(dataDirectory, null, overrides);

    /// <summary>As <see cref="StartInAsync(string?, string[])"/>, with services replaced after the server's own.</summary>
    public static async Task<TestServer> StartInAsync(string? dataDirectory, Action<IServiceCollection>? configureServices, params string[] overrides)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "xmpp-gateway-tests", Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--c2s-port", "0",
            "--ws-port", "0",
            "--management-port", "0",
            "--Storage:Provider=InMemory",
            "--Orleans:SiloPort=0",
            "--Orleans:GatewayPort=0",
            "--Gateway:ListenAddress=127.0.0.1",
            $"--DataDirectory={dataDirectory}",
            "--Gateway:Auth:ScramIterations=4096",
            // Many tests send megabytes or thousands of stanzas on purpose; RateLimitTests turn the limits on.
            "--Gateway:RateLimits:Tcp:BytesPerSecond=0",
            "--Gateway:RateLimits:WebSocket:BytesPerSecond=0",
            "--Xmpp:Limits:StanzasPerSecond=0",
            "--Logging:LogLevel:Default=Warning",
            .. overrides,
        ];
        return new TestServer(await XmppServerHost.StartAsync(args, configureServices), dataDirectory);
    }

    public async Task AddUserAsync(string name, string password)
    {
        var accounts = Services.GetRequiredService<IAccountStore>();
        Assert.True(await accounts.CreateAsync(ScramCredentials.CreateAccount(name, password, 4096)));
    }

    public Task<XmppTestClient> ConnectAsync() => XmppTestClient.ConnectAsync(Endpoint);

    public Task<XmppTestClient> LoginAsync(string user, string password, string? resource = null, bool startTls = false, string mechanism = "SCRAM-SHA-256") =>
        XmppTestClient.LoginAsync(Endpoint, user, password, resource, startTls, mechanism);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
