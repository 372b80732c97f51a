using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Tests;

/// <summary>An in-memory archive store whose appends fail while <see cref="Failing"/> is set (a store that is down).</summary>
public sealed class FailingArchiveStore : IArchiveStore
{
    private readonly InMemoryArchiveStore _inner = new();

    public bool Failing { get; set; }

    public Task AppendAsync(string owner, IReadOnlyList<ArchivedStanza> stanzas, CancellationToken cancellationToken = default) =>
        Failing ? throw new IOException("The archive store is down") : _inner.AppendAsync(owner, stanzas, cancellationToken);

    public Task<ArchivePage> QueryAsync(string owner, ArchiveQuery query, CancellationToken cancellationToken = default) => _inner.QueryAsync(owner, query, cancellationToken);

    public Task<bool> ContainsAsync(string owner, long id, CancellationToken cancellationToken = default) => _inner.ContainsAsync(owner, id, cancellationToken);

    public Task<ArchiveBounds?> GetBoundsAsync(string owner, CancellationToken cancellationToken = default) => _inner.GetBoundsAsync(owner, cancellationToken);

    public Task DeleteAsync(string owner, long? beforeId = null, CancellationToken cancellationToken = default) => _inner.DeleteAsync(owner, beforeId, cancellationToken);

    public Task TrimAsync(string owner, int keep, CancellationToken cancellationToken = default) => _inner.TrimAsync(owner, keep, cancellationToken);
}
