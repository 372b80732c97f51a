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

    /// <summary>
    /// With a service URI instead of a connection string the server signs in with its managed
    /// identity; an identity the platform does not know gets no token, and the start ends in one line
    /// naming the service, its address and the platform's answer. (The table service is never asked:
    /// the token comes first.)
    /// </summary>
    [Theory]
    [InlineData("storage", "Storage:Provider=AzureTables, Storage:ServiceUri")]
    [InlineData("clustering", "Orleans:Clustering:Provider=AzureStorage, Orleans:Clustering:ServiceUri")]
    public async Task A_managed_identity_without_a_token_is_named_and_the_server_exits_non_zero(string service, string settings)
    {
        await using var identity = await ManagedIdentityEndpoint.StartAsync();
        var tables = $"https://127.0.0.1:{Azurite.FreePort()}";
        string[] serviceArguments = service == "storage"
            ? ["--Storage:Provider=AzureTables", $"--Storage:ServiceUri={tables}"]
            : ["--Storage:Provider=InMemory", "--Orleans:Clustering:Provider=AzureStorage", $"--Orleans:Clustering:ServiceUri={tables}", "--Orleans:AdvertisedAddress=127.0.0.1"];

        var (exitCode, output) = await ServerProcess.RunToEndAsync(
            identity.Environment,
            ["--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Orleans:SiloPort=0", "--Orleans:GatewayPort=0", .. serviceArguments,
            $"--DataDirectory={Path.Combine(Path.GetTempPath(), "xmpp-e2e-tests", Guid.NewGuid().ToString("N"))}"]);

        BadStart.AssertOneLine(exitCode, output, $"Cannot start: Cannot sign in to the {service} service ({settings}) at {tables}/: ManagedIdentityCredential authentication failed");
        Assert.Contains(ManagedIdentityEndpoint.Refusal, output, StringComparison.Ordinal);
    }
}
