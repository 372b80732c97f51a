using Microsoft.Data.Sqlite;
using Xmpp.Storage.Sqlite;

namespace Xmpp.Storage.Tests;

/// <summary>
/// The file fails under the store, then recovers: the writes the fault touched fail (their callers
/// hear of it), nothing else is lost, and the store takes writes again once the fault clears,
/// without a restart (<see cref="SqliteFaults"/> puts the faults on).
/// </summary>
public sealed class SqliteWriteFaultTests : IDisposable
{
    private readonly TempDatabase _file = new();
    private readonly SqliteFaults _faults = new();
    private readonly SqliteDatabase _database;
    private readonly SqliteStateStore _store;

    public SqliteWriteFaultTests()
    {
        _database = new SqliteDatabase(_file.FilePath, _faults.OpenWriter);
        _store = new SqliteStateStore(_database);
    }

    [Fact]
    public async Task Writes_fail_while_the_file_refuses_them_and_succeed_again_once_it_does_not()
    {
        await WriteAsync("before", "1");
        _faults.MakeUnwritable();

        var refused = await Assert.ThrowsAsync<SqliteException>(() => WriteAsync("during", "2"));
        Assert.Equal(8, refused.SqliteErrorCode); // SQLITE_READONLY
        await Assert.ThrowsAsync<SqliteException>(() => WriteAsync("during", "3")); // a new connection, read-only as well

        _faults.MakeWritable();
        await WriteAsync("after", "4");

        Assert.Equal("1", await ReadAsync("before"));
        Assert.Null(await ReadAsync("during"));
        Assert.Equal("4", await ReadAsync("after"));
        Assert.Equal(3, _faults.WriterConnectionsOpened); // at start, after the first failure, after the fault cleared
    }

    [Fact]
    public async Task A_commit_that_SQLite_rolled_back_does_not_stop_later_writes()
    {
        await WriteAsync("before", "1");
        _faults.RefuseCommits = true;
        await Assert.ThrowsAsync<SqliteException>(() => WriteAsync("during", "2"));

        _faults.RefuseCommits = false;
        await WriteAsync("after", "3");

        Assert.Null(await ReadAsync("during"));
        Assert.Equal("3", await ReadAsync("after"));
    }

    [Fact]
    public async Task Closing_after_a_failed_commit_does_not_throw()
    {
        _faults.RefuseCommits = true;
        await Assert.ThrowsAsync<SqliteException>(() => WriteAsync("during", "1"));

        await _database.DisposeAsync();
    }

    private Task<string> WriteAsync(string key, string value) =>
        _store.WriteAsync(Id(key), System.Text.Encoding.UTF8.GetBytes(value), null);

    private async Task<string?> ReadAsync(string key) =>
        await _store.ReadAsync(Id(key)) is { } stored ? System.Text.Encoding.UTF8.GetString(stored.Data.Span) : null;

    private static GrainStateId Id(string key) => new("test", key, "state");

    public void Dispose()
    {
        _database.Dispose();
        _file.Dispose();
    }
}
