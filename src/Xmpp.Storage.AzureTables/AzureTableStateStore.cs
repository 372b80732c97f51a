using Azure;
using Azure.Data.Tables;
using Orleans.Storage;

namespace Xmpp.Storage.AzureTables;

/// <summary>
/// State records in an Azure Storage table (Azurite locally). Partition: the grain (type and key);
/// row: the state's name. An entity holds at most 1 MiB in properties of at most 64 KiB, so a
/// record's bytes go into up to 15 properties of 64 KiB per row: the head row (whose ETag is the
/// record's) and, for larger records, rows <c>name~1</c>, <c>name~2</c>, … written in the same
/// entity-group transaction, so a record changes all at once or not at all. A transaction carries
/// at most 4 MiB, which bounds a record at about 2.9 MiB (base64 on the wire); larger writes are
/// refused. Rows beyond the head's row count are leftovers of a larger earlier version, never read.
/// </summary>
public sealed class AzureTableStateStore : IStateStore
{
    private const int PropertiesPerRow = 11; // 704 KiB: the 1 MiB entity limit counts the base64 of binary properties
    private const int RowBytes = BinaryProperties.PropertyBytes * PropertiesPerRow;
    private const int MaxRecordBytes = 2900 * 1024;
    private const string Rows = "Rows";
    private const string Length = "Length";
    private const string Version = "Version";

    private readonly TableOnFirstUse _tables;

    public AzureTableStateStore(TableServiceClient service, string tableName = "xmppstate")
    {
        ArgumentNullException.ThrowIfNull(service);
        _tables = new TableOnFirstUse(service, tableName);
    }

    /// <summary>The store's table (for <see cref="AzureTableStorageTables"/>).</summary>
    internal TableOnFirstUse Table => _tables;

    public async Task<StoredState?> ReadAsync(GrainStateId id, CancellationToken cancellationToken = default)
    {
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var (partition, row) = Keys(id);

        // A write between reading the head and its other rows shows as a version mismatch: read again.
        for (var attempt = 0; ; attempt++)
        {
            var head = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!head.HasValue)
            {
                return null;
            }

            var entity = head.Value!;
            var data = new byte[entity.GetInt64(Length) ?? 0];
            var offset = Unpack(entity, data, 0);
            var rows = entity.GetInt32(Rows) ?? 1;
            var torn = false;
            for (var i = 1; i < rows && !torn; i++)
            {
                var part = await table.GetEntityIfExistsAsync<TableEntity>(partition, $"{row}~{i}", cancellationToken: cancellationToken).ConfigureAwait(false);
                torn = !part.HasValue || part.Value!.GetString(Version) != entity.GetString(Version);
                offset = torn ? offset : Unpack(part.Value!, data, offset);
            }

            if (!torn)
            {
                return new StoredState(data, entity.ETag.ToString());
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"State {id} kept changing while it was read.");
            }
        }
    }

    public async Task<string> WriteAsync(GrainStateId id, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        if (data.Length > MaxRecordBytes)
        {
            throw new InvalidOperationException($"State {id} is {data.Length:N0} bytes; Azure Tables storage takes at most {MaxRecordBytes:N0}.");
        }

        if (expectedEtag is not null && !expectedEtag.StartsWith("W/\"", StringComparison.Ordinal))
        {
            throw Conflict(id, expectedEtag, null); // not an ETag this service issued, so not the record's (the service would refuse it as input)
        }

        var table = await _tables.GetAsync().ConfigureAwait(false);
        var (partition, row) = Keys(id);
        var version = Guid.NewGuid().ToString("N");
        var rowCount = Math.Max(1, (data.Length + RowBytes - 1) / RowBytes);
        var head = Pack(new TableEntity(partition, row), data, 0, version);
        head[Rows] = rowCount;
        head[Length] = (long)data.Length;
        List<TableTransactionAction> actions =
        [
            expectedEtag is null
                ? new TableTransactionAction(TableTransactionActionType.Add, head)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, head, new ETag(expectedEtag)),
        ];
        for (var i = 1; i < rowCount; i++)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, Pack(new TableEntity(partition, $"{row}~{i}"), data, i * RowBytes, version)));
        }

        try
        {
            var results = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return results.Value[0].Headers.ETag!.Value.ToString();
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            throw Conflict(id, expectedEtag, e);
        }
    }

    public async Task ClearAsync(GrainStateId id, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var (partition, row) = Keys(id);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (expectedEtag is null || !head.HasValue || head.Value!.ETag.ToString() != expectedEtag)
        {
            if (head.HasValue || expectedEtag is not null)
            {
                throw Conflict(id, expectedEtag, null); // there is one where none may be, none where one is expected, or another version
            }

            return;
        }

        List<TableTransactionAction> actions = [new(TableTransactionActionType.Delete, head.Value!, new ETag(expectedEtag))];
        for (var i = 1; i < (head.Value!.GetInt32(Rows) ?? 1); i++)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, $"{row}~{i}"), ETag.All));
        }

        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            throw Conflict(id, expectedEtag, e);
        }
    }

    private static (string Partition, string Row) Keys(GrainStateId id) =>
        (TableKeys.Escape(id.GrainType) + "|" + TableKeys.Escape(id.Key), TableKeys.Escape(id.StateName));

    private static TableEntity Pack(TableEntity entity, ReadOnlyMemory<byte> data, int start, string version)
    {
        entity[Version] = version;
        BinaryProperties.Write(entity, data, start, PropertiesPerRow);
        return entity;
    }

    private static int Unpack(TableEntity entity, byte[] data, int offset) => BinaryProperties.Read(entity, data, offset, PropertiesPerRow);

    private static InconsistentStateException Conflict(GrainStateId id, string? expectedEtag, Exception? inner) =>
        new($"State {id} was changed by another writer (expected ETag {expectedEtag ?? "none"}).", inner!);
}
