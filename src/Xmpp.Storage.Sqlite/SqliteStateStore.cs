using System.Runtime.InteropServices;

namespace Xmpp.Storage.Sqlite;

/// <summary>State records in the SQLite database: one row per (grain type, key, state name) with its ETag.</summary>
public sealed class SqliteStateStore(SqliteDatabase database) : IStateStore
{
    public Task<StoredState?> ReadAsync(GrainStateId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(reader => reader.ReadState(id)));
    }

    public Task<string> WriteAsync(GrainStateId id, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        var bytes = MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

        // Time-ordered and unique: a record deleted and written again never gets an ETag seen before.
        var etag = Guid.CreateVersion7().ToString("N");
        return database.WriteAsync(writer => writer.WriteState(id, bytes, expectedEtag, etag), cancellationToken);
    }

    public Task ClearAsync(GrainStateId id, string? expectedEtag, CancellationToken cancellationToken = default) =>
        database.WriteAsync(writer => writer.ClearState(id, expectedEtag), cancellationToken);
}
