using System.Text;
using Azure.Data.Tables;
using Xmpp.Storage.Archive;

namespace Xmpp.Storage.AzureTables;

/// <summary>
/// Message archives in an Azure Storage table: one partition per owner; per stanza a row keyed by
/// its <see cref="ArchiveId"/> (16 hex digits, so row-key order is id order, which is time order)
/// holding the stanza, and an index row keyed by the id's complement behind a <c>~</c> (which sorts
/// after every hex digit), holding only the party. The service returns a partition's rows in
/// ascending key order only: a page forwards is one range query over the stanza rows, a page from
/// the end (the newest messages, what clients ask for first) one range query over the index rows
/// for its ids, then one over the stanza rows between its first and last id. Both rows of a stanza
/// go in the same entity-group transaction. The stanza's UTF-8 bytes go into binary properties.
/// The store counts nothing (counting needs a scan here), so pages carry no count.
/// </summary>
public sealed class AzureTableArchiveStore : IArchiveStore
{
    private const int MaxStanzaProperties = 5;
    private const int MaxActionsPerTransaction = 100; // 50 stanzas with their index rows
    private const string IndexPrefix = "~";
    private const int MaxTransactionBytes = 3 * 1024 * 1024; // of the 4 MiB a transaction may carry, base64 counted below
    private const string With = "With";
    private const string WithBare = "WithBare";
    private const string Length = "Length";

    private readonly TableOnFirstUse _tables;

    public AzureTableArchiveStore(TableServiceClient service, string tableName = "xmpparchive")
    {
        ArgumentNullException.ThrowIfNull(service);
        _tables = new TableOnFirstUse(service, tableName);
    }

    /// <summary>The store's table (for <see cref="AzureTableStorageTables"/>).</summary>
    internal TableOnFirstUse Table => _tables;

    /// <summary>Each append is its own requests, which may complete in any order.</summary>
    public bool WritesInOrder => false;

    public async Task AppendAsync(string owner, IReadOnlyList<ArchivedStanza> stanzas, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stanzas);
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var partition = TableKeys.Escape(owner);
        var actions = new List<TableTransactionAction>();
        var bytes = 0;
        foreach (var stanza in stanzas)
        {
            var entity = ToEntity(partition, stanza, out var size);
            if (actions.Count + 2 > MaxActionsPerTransaction || (actions.Count > 0 && bytes + size > MaxTransactionBytes))
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                actions = [];
                bytes = 0;
            }

            // Upsert: a retried transaction that did commit the first time writes the same rows again.
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, IndexKey(stanza.Id))
            {
                [With] = stanza.With,
                [WithBare] = stanza.WithBare,
            }));
            bytes += size;
        }

        if (actions.Count > 0)
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ArchivePage> QueryAsync(string owner, ArchiveQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var partition = TableKeys.Escape(owner);
        var lower = Max(query.MinId, query.AfterId + 1, query.PageAfter + 1) ?? 0;
        var upper = Min(query.MaxId, query.BeforeId - 1, query.PageBefore - 1) ?? long.MaxValue;

        // One stanza (or id) more than the page is read: whether it exists tells whether the page is the last.
        List<ArchivedStanza> items;
        bool complete;
        if (query.Ids is { } ids)
        {
            var found = await ReadIdsAsync(table, partition, ids.Where(id => id >= lower && id <= upper).Distinct().Order(), query, cancellationToken).ConfigureAwait(false);
            complete = found.Count <= query.Max;
            items = query.FromEnd ? found[^Math.Min(query.Max, found.Count)..] : [.. found.Take(query.Max)];
        }
        else if (query.FromEnd)
        {
            // The page's ids from the index rows, newest first; then its stanzas in one range.
            var newest = await ReadIndexBackwardsAsync(table, partition, query, lower, upper, query.Max + 1, cancellationToken).ConfigureAwait(false);
            complete = newest.Count <= query.Max;
            var pageIds = newest.Take(query.Max).ToList();
            items = pageIds.Count == 0
                ? []
                : await ReadRangeAsync(table, partition, query, pageIds[^1], pageIds[0], query.Max, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var found = await ReadRangeAsync(table, partition, query, lower, upper, query.Max + 1, cancellationToken).ConfigureAwait(false);
            complete = found.Count <= query.Max;
            items = [.. found.Take(query.Max)];
        }

        return new ArchivePage(items, complete, null);
    }

    public async Task<bool> ContainsAsync(string owner, long id, CancellationToken cancellationToken = default)
    {
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(owner), ArchiveId.Format(id), [Length], cancellationToken).ConfigureAwait(false);
        return row.HasValue;
    }

    public async Task<ArchiveBounds?> GetBoundsAsync(string owner, CancellationToken cancellationToken = default)
    {
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var partition = TableKeys.Escape(owner);
        var all = new ArchiveQuery { Max = 1 };
        var first = await ReadRangeAsync(table, partition, all, 0, long.MaxValue, 1, cancellationToken, keysOnly: true).ConfigureAwait(false);
        if (first.Count == 0)
        {
            return null;
        }

        var last = await ReadIndexBackwardsAsync(table, partition, all, 0, long.MaxValue, 1, cancellationToken).ConfigureAwait(false);
        return new ArchiveBounds(first[0].Id, last[0]);
    }

    public async Task DeleteAsync(string owner, long? beforeId = null, CancellationToken cancellationToken = default)
    {
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var partition = TableKeys.Escape(owner);
        var filter = beforeId is { } before
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and (RowKey lt {ArchiveId.Format(before)} or RowKey gt {IndexKey(before)})")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var actions = new List<TableTransactionAction>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, Azure.ETag.All));
            if (actions.Count == MaxActionsPerTransaction)
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                actions = [];
            }
        }

        if (actions.Count > 0)
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task TrimAsync(string owner, int keep, CancellationToken cancellationToken = default)
    {
        // The index rows, newest first, tell the oldest id to keep: a read of keys only.
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var newest = await ReadIndexBackwardsAsync(table, TableKeys.Escape(owner), new ArchiveQuery(), 0, long.MaxValue, Math.Max(0, keep) + 1, cancellationToken).ConfigureAwait(false);
        if (newest.Count > keep)
        {
            await DeleteAsync(owner, keep > 0 ? newest[keep - 1] : null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Up to <paramref name="limit"/> matching stanzas with ids in [lower, upper], oldest first.</summary>
    private static async Task<List<ArchivedStanza>> ReadRangeAsync(
        TableClient table, string partition, ArchiveQuery query, long lower, long upper, int limit, CancellationToken cancellationToken, bool keysOnly = false)
    {
        var found = new List<ArchivedStanza>();
        if (lower > upper || limit <= 0)
        {
            return found;
        }

        var filter = Filter(partition, query, lower, upper);
        var pageSize = Math.Clamp(limit, 1, 1000);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, pageSize, keysOnly ? ["RowKey"] : null, cancellationToken).ConfigureAwait(false))
        {
            found.Add(keysOnly ? new ArchivedStanza(ParseId(entity.RowKey), "", "") : FromEntity(entity));
            if (found.Count == limit)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Up to <paramref name="limit"/> ids of matching stanzas in [lower, upper], newest first, from the index rows.</summary>
    private static async Task<List<long>> ReadIndexBackwardsAsync(
        TableClient table, string partition, ArchiveQuery query, long lower, long upper, int limit, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        if (lower > upper || limit <= 0)
        {
            return ids;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {IndexKey(upper)} and RowKey le {IndexKey(lower)}") + WithFilter(query);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, Math.Clamp(limit, 1, 1000), ["RowKey"], cancellationToken).ConfigureAwait(false))
        {
            ids.Add(long.MaxValue - ParseId(entity.RowKey[IndexPrefix.Length..]));
            if (ids.Count == limit)
            {
                break;
            }
        }

        return ids;
    }

    private static async Task<List<ArchivedStanza>> ReadIdsAsync(
        TableClient table, string partition, IEnumerable<long> ids, ArchiveQuery query, CancellationToken cancellationToken)
    {
        var found = new List<ArchivedStanza>();
        foreach (var id in ids)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, ArchiveId.Format(id), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (row.HasValue && FromEntity(row.Value!) is var stanza && query.Matches(stanza))
            {
                found.Add(stanza);
            }
        }

        return found;
    }

    private static string Filter(string partition, ArchiveQuery query, long lower, long upper) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {ArchiveId.Format(lower)} and RowKey le {ArchiveId.Format(upper)}") + WithFilter(query);

    private static string WithFilter(ArchiveQuery query) => query.With switch
    {
        null => "",
        var with when query.WithIsBare => TableClient.CreateQueryFilter($" and WithBare eq {with}"),
        var with => TableClient.CreateQueryFilter($" and With eq {with}"),
    };

    /// <summary>The index row's key: the id's complement, so that ascending key order is descending id order.</summary>
    private static string IndexKey(long id) => IndexPrefix + ArchiveId.Format(long.MaxValue - id);

    private static TableEntity ToEntity(string partition, ArchivedStanza stanza, out int size)
    {
        var bytes = Encoding.UTF8.GetBytes(stanza.Xml);
        if (bytes.Length > MaxStanzaProperties * BinaryProperties.PropertyBytes)
        {
            throw new InvalidOperationException($"A stanza of {bytes.Length:N0} bytes is larger than the archive takes.");
        }

        var entity = new TableEntity(partition, ArchiveId.Format(stanza.Id))
        {
            [With] = stanza.With,
            [WithBare] = stanza.WithBare,
            [Length] = bytes.Length,
        };
        BinaryProperties.Write(entity, bytes, 0, MaxStanzaProperties);
        size = ((bytes.Length + 2) / 3 * 4) + (2 * (stanza.With.Length + stanza.WithBare.Length)) + 256;
        return entity;
    }

    private static ArchivedStanza FromEntity(TableEntity entity)
    {
        var bytes = new byte[entity.GetInt32(Length) ?? 0];
        BinaryProperties.Read(entity, bytes, 0, MaxStanzaProperties);
        return new ArchivedStanza(ParseId(entity.RowKey), entity.GetString(With) ?? "", Encoding.UTF8.GetString(bytes));
    }

    private static long ParseId(string key) =>
        ArchiveId.TryParse(key, out var id) ? id : throw new InvalidOperationException($"Row {key} of the archive table is not an archive id.");

    private static long? Max(params long?[] values) => values.Where(v => v is not null).Max();

    private static long? Min(params long?[] values) => values.Where(v => v is not null).Min();
}
