using Azure.Data.Tables;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// <c>Orleans:Clustering:Provider=AzureStorage</c>: the silo registers in the membership table of
/// a real (Azurite) table service and serves clients. (A service it cannot reach:
/// <c>ClusteringStartTests</c>, with the server as its own process.)
/// </summary>
public sealed class AzureClusteringTests(Azurite azurite) : IClassFixture<Azurite>
{
    [Fact]
    public async Task A_server_joins_its_cluster_through_the_table_service_and_serves_clients()
    {
        await using var server = await TestServer.StartAsync(Clustering(azurite.ConnectionString, "joins"));
        await server.AddUserAsync("alice", "pencil");
        await using var alice = await server.LoginAsync("alice", "pencil", "r");
        await alice.PingSessionAsync();

        var members = new TableServiceClient(azurite.ConnectionString).GetTableClient("OrleansSiloInstances");
        var active = members.QueryAsync<TableEntity>(e => e.PartitionKey == "joins").ToBlockingEnumerable()
            .Where(e => e.GetString("Status") == "Active").ToList();
        Assert.Single(active);
    }

    private static string[] Clustering(string connectionString, string clusterId) =>
    [
        "--Orleans:Clustering:Provider=AzureStorage",
        $"--Orleans:Clustering:ConnectionString={connectionString}",
        $"--Orleans:ClusterId={clusterId}",
        "--Orleans:AdvertisedAddress=127.0.0.1",
    ];
}
