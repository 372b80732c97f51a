namespace Xmpp.Gateway.Tests;

/// <summary>
/// A real Azurite table service (npm package <c>azurite</c>, which the test command installs) on a
/// free loopback port, in memory, stopped with the fixture.
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    // Azurite's well-known development account (public, in Azurite's README).
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private LoopbackServiceProcess? _process;
    private int _requestedPort;

    public int TablePort { get; private set; }

    public string ConnectionString => TableConnectionString(TablePort);

    /// <summary>A connection string of the development account for a table endpoint on <paramref name="port"/>.</summary>
    public static string TableConnectionString(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    /// <summary>Starts one on a given port (a test that needs the service to appear where it was missing).</summary>
    public static async Task<Azurite> StartOnAsync(int port)
    {
        var azurite = new Azurite { _requestedPort = port };
        await azurite.InitializeAsync();
        return azurite;
    }

    public async Task InitializeAsync()
    {
        TablePort = _requestedPort != 0 ? _requestedPort : FreePort();
        _process = await LoopbackServiceProcess.StartAsync(
            "azurite-table",
            ["--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--inMemoryPersistence", "--silent"],
            TablePort,
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
