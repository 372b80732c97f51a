using Azure.Data.Tables;
using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// A server on Azure Storage (a real Azurite): <c>Orleans:Clustering:Provider=AzureStorage</c>
/// registers the silo in the membership table, <c>Storage:Provider=AzureTables</c> keeps accounts
/// and grain state in tables, and an outage of the table service costs only the changes it
/// refused. (A clustering service it cannot reach: <c>ClusteringStartTests</c>, with the server as
/// its own process.)
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

    [Fact]
    public async Task Accounts_and_grain_state_are_kept_in_Azure_Tables_across_a_restart()
    {
        string[] onAzure = ["--Storage:Provider=AzureTables", $"--Storage:ConnectionString={azurite.ConnectionString}", .. Clustering(azurite.ConnectionString, "stores")];
        await using (var server = await TestServer.StartAsync(onAzure))
        {
            await server.AddUserAsync("bob", "pencil");
            await using var bob = await server.LoginAsync("bob", "pencil", "r");
            Assert.Equal("result", (await bob.SetRosterItemAsync("juliet@localhost", "s1")).Type);
        }

        await using var restarted = await TestServer.StartAsync(onAzure);
        await using var again = await restarted.LoginAsync("bob", "pencil", "r"); // the account came from the table
        Assert.Equal(["juliet@localhost"], await again.RosterAsync("g1"));
    }

    [Fact]
    public async Task An_outage_of_the_table_service_refuses_changes_and_loses_nothing_stored()
    {
        await using var cutter = new ConnectionCutter(azurite.Port);
        await using var server = await TestServer.StartAsync("--Storage:Provider=AzureTables", $"--Storage:ConnectionString={Azurite.TableConnectionString(cutter.Port)}");
        await server.AddUserAsync("carol", "pencil");
        await using (var carol = await server.LoginAsync("carol", "pencil", "r"))
        {
            Assert.Equal("result", (await carol.SetRosterItemAsync("juliet@localhost", "s1")).Type);

            await cutter.CutAsync(); // the outage
            var refused = await carol.SetRosterItemAsync("tybalt@localhost", "s2");
            Assert.Equal("error", refused.Type);
            Assert.Equal((StanzaError.TypeWait, "internal-server-error"), (StanzaError.FromStanza(refused)!.Type, StanzaError.FromStanza(refused)!.Condition));

            // Storage could not be read back either, so the account's grain let go of what it
            // held in memory, its sessions with it: the client reconnects once storage is back.
        }

        cutter.Restore();
        await using var again = await server.LoginAsync("carol", "pencil", "r");
        Assert.Equal(["juliet@localhost"], await again.RosterAsync("g1"));
        Assert.Equal("result", (await again.SetRosterItemAsync("romeo@localhost", "s3")).Type);
        Assert.Equal(["juliet@localhost", "romeo@localhost"], await again.RosterAsync("g2"));
    }

    private static string[] Clustering(string connectionString, string clusterId) =>
    [
        "--Orleans:Clustering:Provider=AzureStorage",
        $"--Orleans:Clustering:ConnectionString={connectionString}",
        $"--Orleans:ClusterId={clusterId}",
        "--Orleans:AdvertisedAddress=127.0.0.1",
    ];
}
