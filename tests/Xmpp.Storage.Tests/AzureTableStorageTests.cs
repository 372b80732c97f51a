using Azure;
using Azure.Data.Tables;
using Xmpp.Gateway.Tests;
using Xmpp.Storage.AzureTables;

namespace Xmpp.Storage.Tests;

/// <summary>The state-store contract on Azure Tables (a real Azurite), each test in tables of its own.</summary>
public sealed class AzureTableStateStoreTests(Azurite azurite) : StateStoreContract, IClassFixture<Azurite>
{
    protected override IStateStore Storage { get; } =
        new AzureTableStateStore(new TableServiceClient(azurite.ConnectionString), "s" + Guid.NewGuid().ToString("N"));
}

/// <summary>The account-store contract on Azure Tables (a real Azurite).</summary>
public sealed class AzureTableAccountStoreTests(Azurite azurite) : AccountStoreContract, IClassFixture<Azurite>
{
    protected override IAccountStore Accounts { get; } =
        new AzureTableAccountStore(new TableServiceClient(azurite.ConnectionString), "a" + Guid.NewGuid().ToString("N"));
}

/// <summary>The table service is down when the store is first used, then comes up: the store works without a restart.</summary>
public sealed class AzureTableOutageTests
{
    [Fact]
    public async Task A_store_whose_service_was_down_at_first_use_works_once_it_is_up()
    {
        var port = Azurite.FreePort();
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        var store = new AzureTableStateStore(new TableServiceClient(Azurite.TableConnectionString(port), options), "outage");
        var id = new GrainStateId("user", "alice@localhost", "roster");
        await Assert.ThrowsAnyAsync<RequestFailedException>(() => store.ReadAsync(id));

        var azurite = await Azurite.StartOnAsync(port);
        try
        {
            await store.WriteAsync(id, new byte[] { 1, 2, 3 }, null);
            Assert.Equal(new byte[] { 1, 2, 3 }, (await store.ReadAsync(id))!.Data.ToArray());
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }
}
