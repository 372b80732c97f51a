using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Storage;

namespace Xmpp.Storage;

/// <summary>
/// Grain state in a dictionary: for tests and the "in-memory" storage mode. Same contract as the
/// durable providers (ETags are checked with compare-and-swap); data is copied in and out.
/// </summary>
public sealed class InMemoryStateStore : IStateStore
{
    private readonly ConcurrentDictionary<GrainStateId, StoredState> _records = new();
    private long _nextEtag;

    /// <summary>How many records are stored.</summary>
    public int Count => _records.Count;

    public Task<StoredState?> ReadAsync(GrainStateId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_records.TryGetValue(id, out var record) ? record : null);
    }

    public Task<string> WriteAsync(GrainStateId id, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var etag = Interlocked.Increment(ref _nextEtag).ToString(CultureInfo.InvariantCulture);
        var record = new StoredState(data.ToArray(), etag);
        if (expectedEtag is null)
        {
            if (!_records.TryAdd(id, record))
            {
                throw Conflict(id, expectedEtag);
            }
        }
        else if (!_records.TryGetValue(id, out var current) || current.Etag != expectedEtag || !_records.TryUpdate(id, record, current))
        {
            throw Conflict(id, expectedEtag);
        }

        return Task.FromResult(etag);
    }

    public Task ClearAsync(GrainStateId id, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (expectedEtag is null)
        {
            if (_records.ContainsKey(id))
            {
                throw Conflict(id, expectedEtag);
            }
        }
        else if (!_records.TryGetValue(id, out var current) || current.Etag != expectedEtag ||
            !_records.TryRemove(new KeyValuePair<GrainStateId, StoredState>(id, current)))
        {
            throw Conflict(id, expectedEtag);
        }

        return Task.CompletedTask;
    }

    private static InconsistentStateException Conflict(GrainStateId id, string? expectedEtag) =>
        new($"State {id} was changed by another writer (expected ETag {expectedEtag ?? "none"}).");
}
