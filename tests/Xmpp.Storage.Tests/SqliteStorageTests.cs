using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Storage;
using Xmpp.Storage.Sqlite;

namespace Xmpp.Storage.Tests;

/// <summary>A fresh database file in a temporary folder, deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "xmpp-sqlite-tests", Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(Folder, "nested", "xmpp.db");
    }

    public string Folder { get; }

    public string FilePath { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A database opened on a fresh file (<see cref="TempDatabase"/>), both gone on dispose: what each store's contract runs on.</summary>
public sealed class OpenDatabase : IDisposable
{
    public OpenDatabase() => Database = new SqliteDatabase(File.FilePath);

    public TempDatabase File { get; } = new();

    public SqliteDatabase Database { get; }

    public void Dispose()
    {
        Database.Dispose();
        File.Dispose();
    }
}

public sealed class SqliteStateStoreTests : StateStoreContract, IDisposable
{
    private readonly OpenDatabase _open = new();

    protected override IStateStore Storage => new SqliteStateStore(_open.Database);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_database_file_is_readable_by_its_owner_only()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(_open.File.FilePath));
    }

    public void Dispose() => _open.Dispose();
}

public sealed class SqliteAccountStoreTests : AccountStoreContract, IDisposable
{
    private readonly OpenDatabase _open = new();

    protected override IAccountStore Accounts => new SqliteAccountStore(_open.Database);

    public void Dispose() => _open.Dispose();
}

/// <summary>What only a file-backed provider can show: the data outlives the process's handle on it.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private static readonly GrainStateId Id = new("user", "alice@localhost", "roster");
    private readonly TempDatabase _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Reopening_the_file_finds_the_state_and_accounts_written_before()
    {
        string etag;
        var alice = AccountStoreContract.MakeAccount("alice");
        await using (var database = new SqliteDatabase(_file.FilePath))
        {
            etag = await new SqliteStateStore(database).WriteAsync(Id, "roster"u8.ToArray(), null);
            await new SqliteAccountStore(database).CreateAsync(alice);
        }

        await using (var database = new SqliteDatabase(_file.FilePath))
        {
            var stored = await new SqliteStateStore(database).ReadAsync(Id);
            Assert.Equal("roster"u8.ToArray(), stored!.Data.ToArray());
            Assert.Equal(etag, stored.Etag);
            AccountStoreContract.AssertSame(alice, await new SqliteAccountStore(database).FindAsync("alice"));
        }
    }

    [Fact]
    public async Task A_completed_write_is_committed_to_the_file()
    {
        await using var database = new SqliteDatabase(_file.FilePath);
        await new SqliteStateStore(database).WriteAsync(Id, "v1"u8.ToArray(), null);

        // An independent connection sees it: the write was committed before its task completed.
        using var connection = new SqliteConnection($"Data Source={_file.FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM grain_state WHERE grain_key = 'alice@localhost';";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public async Task The_database_is_in_WAL_mode()
    {
        await using var database = new SqliteDatabase(_file.FilePath);
        using var connection = new SqliteConnection($"Data Source={_file.FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task Writes_queued_before_dispose_are_committed()
    {
        var database = new SqliteDatabase(_file.FilePath);
        var storage = new SqliteStateStore(database);
        var writes = Enumerable.Range(0, 200).Select(i => storage.WriteAsync(new GrainStateId("t", $"k{i}", "s"), new byte[] { (byte)i }, null)).ToArray();
        await database.DisposeAsync();
        await Task.WhenAll(writes);

        await using var reopened = new SqliteDatabase(_file.FilePath);
        Assert.Equal([199], (await new SqliteStateStore(reopened).ReadAsync(new GrainStateId("t", "k199", "s")))!.Data.ToArray());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteAsync(Id, "late"u8.ToArray(), null));
    }
}
