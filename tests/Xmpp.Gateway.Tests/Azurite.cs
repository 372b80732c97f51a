using System.Globalization;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// A real Azurite service (npm package <c>azurite</c>, which the test command installs) on a free
/// loopback port, in memory, stopped with the fixture: the table service, or another one
/// (<see cref="AzuriteBlobs"/>).
/// </summary>
public class Azurite : IAsyncLifetime
{
    // Azurite's well-known development account (public, in Azurite's README).
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _service;
    private LoopbackServiceProcess? _process;
    private int _requestedPort;

    public Azurite()
        : this("table")
    {
    }

    /// <param name="service">Azurite's name for it: <c>table</c>, <c>blob</c> (its program is <c>azurite-SERVICE</c>).</param>
    protected Azurite(string service) => _service = service;

    public int Port { get; private set; }

    public string ConnectionString => ConnectionStringFor(_service, Port);

    /// <summary>A connection string of the development account for a table endpoint on <paramref name="port"/>.</summary>
    public static string TableConnectionString(int port) => ConnectionStringFor("table", port);

    private static string ConnectionStringFor(string service, int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};{char.ToUpperInvariant(service[0])}{service[1..]}Endpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    /// <summary>Starts one on a given port (a test that needs the service to appear where it was missing).</summary>
    public static async Task<Azurite> StartOnAsync(int port)
    {
        var azurite = new Azurite { _requestedPort = port };
        await azurite.InitializeAsync();
        return azurite;
    }

    public async Task InitializeAsync()
    {
        Port = _requestedPort != 0 ? _requestedPort : FreePort();
        _process = await LoopbackServiceProcess.StartAsync(
            $"azurite-{_service}",
            [$"--{_service}Host", "127.0.0.1", $"--{_service}Port", Port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--silent",
             "--skipApiVersionCheck"], // the SDK may be newer than the emulator
            Port,
            "npm install -g azurite (test.sh does)");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort() => LoopbackServiceProcess.FreePort();
}
