using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Tests;

/// <summary>
/// An in-memory archive store that tests steer: appends fail while <see cref="Failing"/> is set (a
/// store that is down) or for <see cref="FailingOwner"/>, wait between <see cref="Hold"/> and <see cref="Release"/> (a commit under
/// way), and are recorded in the order they were called; <see cref="WritesInOrder"/> can be turned
/// off, to stand for a store whose appends complete in any order (Azure Tables).
/// </summary>
public sealed class TestArchiveStore : IArchiveStore
{
    private readonly InMemoryArchiveStore _inner = new();
    private readonly List<string> _appends = [];
    private TaskCompletionSource? _held;

    public bool Failing { get; set; }

    /// <summary>An owner whose appends fail (after they were called), as when only one write of a commit fails.</summary>
    public string? FailingOwner { get; set; }

    public bool WritesInOrder { get; set; } = true;

    /// <summary>The owners of the appends called so far, in call order.</summary>
    public IReadOnlyList<string> Appends
    {
        get
        {
            lock (_appends)
            {
                return [.. _appends];
            }
        }
    }

    /// <summary>Appends called from now on are stored and answered only at <see cref="Release"/>.</summary>
    public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stores and answers the held appends; later ones go through at once again.</summary>
    public void Release() => Interlocked.Exchange(ref _held, null)?.SetResult();

    /// <summary>Waits (a few seconds at most) until <paramref name="count"/> appends were called.</summary>
    public async Task<IReadOnlyList<string>> WaitForAppendsAsync(int count)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(5); Appends.Count < count && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(10);
        }

        return Appends;
    }

    public Task AppendAsync(string owner, IReadOnlyList<ArchivedStanza> stanzas, CancellationToken cancellationToken = default)
    {
        if (Failing)
        {
            throw new IOException("The archive store is down");
        }

        lock (_appends)
        {
            _appends.Add(owner);
        }

        if (owner == FailingOwner)
        {
            return Task.FromException(new IOException($"The archive of {owner} cannot be written"));
        }

        return _held is { } held ? AfterAsync(held.Task) : _inner.AppendAsync(owner, stanzas, cancellationToken);

        async Task AfterAsync(Task release)
        {
            await release;
            await _inner.AppendAsync(owner, stanzas, cancellationToken);
        }
    }

    public Task<ArchivePage> QueryAsync(string owner, ArchiveQuery query, CancellationToken cancellationToken = default) => _inner.QueryAsync(owner, query, cancellationToken);

    public Task<bool> ContainsAsync(string owner, long id, CancellationToken cancellationToken = default) => _inner.ContainsAsync(owner, id, cancellationToken);

    public Task<ArchiveBounds?> GetBoundsAsync(string owner, CancellationToken cancellationToken = default) => _inner.GetBoundsAsync(owner, cancellationToken);

    public Task DeleteAsync(string owner, long? beforeId = null, CancellationToken cancellationToken = default) => _inner.DeleteAsync(owner, beforeId, cancellationToken);

    public Task TrimAsync(string owner, int keep, CancellationToken cancellationToken = default) => _inner.TrimAsync(owner, keep, cancellationToken);
}
