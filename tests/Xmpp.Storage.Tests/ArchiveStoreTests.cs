using Azure.Data.Tables;
using Xmpp.Gateway.Tests;
using Xmpp.Storage.Archive;
using Xmpp.Storage.AzureTables;
using Xmpp.Storage.Sqlite;

namespace Xmpp.Storage.Tests;

public sealed class InMemoryArchiveStoreTests : ArchiveStoreContract
{
    protected override IArchiveStore Archive { get; } = new InMemoryArchiveStore();
}

public sealed class SqliteArchiveStoreTests : ArchiveStoreContract, IDisposable
{
    private readonly OpenDatabase _open = new();

    protected override IArchiveStore Archive => new SqliteArchiveStore(_open.Database);

    /// <summary>
    /// What the account grains rely on to let a message go before the sender's copy is durable
    /// (<see cref="IArchiveStore.WritesInOrder"/>): when an append completes, no append called
    /// before it, of any owner, is still pending.
    /// </summary>
    [Fact]
    public async Task Appends_complete_in_the_order_they_were_called()
    {
        var store = Archive;
        Assert.True(store.WritesInOrder);
        var appends = new Task[300];
        var overtaken = 0;
        for (var i = 0; i < appends.Length; i++)
        {
            appends[i] = store.AppendAsync($"owner{i % 7}@localhost", [new ArchivedStanza(1000 + i, "x@localhost", $"<message id='{i}'/>")]);
            var earlier = appends[..i];
            _ = appends[i].ContinueWith(_ =>
            {
                if (earlier.Any(e => !e.IsCompleted))
                {
                    Interlocked.Increment(ref overtaken);
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        await Task.WhenAll(appends);
        Assert.Equal(0, Volatile.Read(ref overtaken));
        var stored = 0;
        for (var owner = 0; owner < 7; owner++)
        {
            stored += (await store.QueryAsync($"owner{owner}@localhost", new ArchiveQuery { Max = 100 })).Items.Count;
        }

        Assert.Equal(appends.Length, stored);
    }

    public void Dispose() => _open.Dispose();
}

/// <summary>The archive contract on Azure Tables (a real Azurite), each test in a table of its own.</summary>
public sealed class AzureTableArchiveStoreTests(Azurite azurite) : ArchiveStoreContract, IClassFixture<Azurite>
{
    protected override IArchiveStore Archive { get; } =
        new AzureTableArchiveStore(new TableServiceClient(azurite.ConnectionString), "m" + Guid.NewGuid().ToString("N"));

    protected override bool Counts => false;
}
