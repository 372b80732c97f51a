using Xmpp.Gateway.Tests;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// A server whose clustering or storage service cannot be reached does not start: it says which
/// service at which address in one line and exits non-zero. Run as its own process, as an operator
/// meets it (a failed start also leaves the silo's retry loops behind, which a test process would keep).
/// </summary>
public sealed class UnreachableServiceStartTests
{
    [Theory]
    [InlineData("AzureStorage", "http://127.0.0.1:")]
    [InlineData("Redis", "127.0.0.1:")]
    public async Task An_unreachable_clustering_service_is_named_and_the_server_exits_non_zero(string provider, string addressStart)
    {
        var port = Azurite.FreePort();
        var nowhere = provider == "Redis" ? $"127.0.0.1:{port}" : Azurite.TableConnectionString(port);

        var (exitCode, output) = await ServerProcess.RunToEndAsync(
            "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Orleans:SiloPort=0", "--Orleans:GatewayPort=0", "--Storage:Provider=InMemory",
            $"--Orleans:Clustering:Provider={provider}", $"--Orleans:Clustering:ConnectionString={nowhere}", "--Orleans:AdvertisedAddress=127.0.0.1",
            $"--DataDirectory={Path.Combine(Path.GetTempPath(), "xmpp-e2e-tests", Guid.NewGuid().ToString("N"))}");

        BadStart.AssertOneLine(exitCode, output, $"Cannot start: Cannot reach the clustering service (Orleans:Clustering:Provider={provider}) at {addressStart}{port}");
    }

    [Fact]
    public async Task An_unreachable_storage_service_is_named_and_the_server_exits_non_zero()
    {
        var port = Azurite.FreePort();

        var (exitCode, output) = await ServerProcess.RunToEndAsync(
            "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Orleans:SiloPort=0", "--Orleans:GatewayPort=0",
            "--Storage:Provider=AzureTables", $"--Storage:ConnectionString={Azurite.TableConnectionString(port)}",
            $"--DataDirectory={Path.Combine(Path.GetTempPath(), "xmpp-e2e-tests", Guid.NewGuid().ToString("N"))}");

        BadStart.AssertOneLine(exitCode, output, $"Cannot start: Cannot reach the storage service (Storage:Provider=AzureTables) at http://127.0.0.1:{port}/devstoreaccount1");
    }
}
