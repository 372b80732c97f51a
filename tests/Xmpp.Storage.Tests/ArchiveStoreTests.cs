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

    public void Dispose() => _open.Dispose();
}

/// <summary>The archive contract on Azure Tables (a real Azurite), each test in a table of its own.</summary>
public sealed class AzureTableArchiveStoreTests(Azurite azurite) : ArchiveStoreContract, IClassFixture<Azurite>
{
    protected override IArchiveStore Archive { get; } =
        new AzureTableArchiveStore(new TableServiceClient(azurite.ConnectionString), "m" + Guid.NewGuid().ToString("N"));

    protected override bool Counts => false;
}
