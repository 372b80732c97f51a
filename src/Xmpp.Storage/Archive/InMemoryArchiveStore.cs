using System.Collections.Concurrent;

namespace Xmpp.Storage.Archive;

/// <summary>Archives in memory: for tests and the "InMemory" storage mode. Same contract as the durable stores.</summary>
public sealed class InMemoryArchiveStore : IArchiveStore
{
    private readonly ConcurrentDictionary<string, SortedList<long, ArchivedStanza>> _archives = new(StringComparer.Ordinal);

    /// <summary>An append is done when the call returns.</summary>
    public bool WritesInOrder => true;

    public Task AppendAsync(string owner, IReadOnlyList<ArchivedStanza> stanzas, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stanzas);
        cancellationToken.ThrowIfCancellationRequested();
        var archive = _archives.GetOrAdd(owner, _ => []);
        lock (archive)
        {
            foreach (var stanza in stanzas)
            {
                archive.Add(stanza.Id, stanza); // throws on a duplicate id, as a primary key would
            }
        }

        return Task.CompletedTask;
    }

    public Task<ArchivePage> QueryAsync(string owner, ArchiveQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        List<ArchivedStanza> matching;
        var archive = Archive(owner);
        lock (archive)
        {
            matching = [.. archive.Values.Where(query.Matches)];
        }

        var inPage = matching.Where(s => query.WithinPageBounds(s.Id)).ToList();
        var take = Math.Min(query.Max, inPage.Count);
        var items = query.FromEnd ? inPage[^take..] : inPage[..take];
        var complete = take == inPage.Count;
        return Task.FromResult(new ArchivePage(items, complete, query.Count ? matching.Count : null));
    }

    public Task<bool> ContainsAsync(string owner, long id, CancellationToken cancellationToken = default)
    {
        var archive = Archive(owner);
        lock (archive)
        {
            return Task.FromResult(archive.ContainsKey(id));
        }
    }

    public Task<ArchiveBounds?> GetBoundsAsync(string owner, CancellationToken cancellationToken = default)
    {
        var archive = Archive(owner);
        lock (archive)
        {
            return Task.FromResult(archive.Count == 0 ? null : new ArchiveBounds(archive.Keys[0], archive.Keys[^1]));
        }
    }

    public Task DeleteAsync(string owner, long? beforeId = null, CancellationToken cancellationToken = default)
    {
        var archive = Archive(owner);
        lock (archive)
        {
            while (archive.Count > 0 && (beforeId is null || archive.Keys[0] < beforeId))
            {
                archive.RemoveAt(0);
            }
        }

        return Task.CompletedTask;
    }

    public Task TrimAsync(string owner, int keep, CancellationToken cancellationToken = default)
    {
        var archive = Archive(owner);
        lock (archive)
        {
            while (archive.Count > Math.Max(0, keep))
            {
                archive.RemoveAt(0);
            }
        }

        return Task.CompletedTask;
    }

    private SortedList<long, ArchivedStanza> Archive(string owner) =>
        _archives.TryGetValue(owner, out var archive) ? archive : [];
}
