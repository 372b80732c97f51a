using Xmpp.Storage;

namespace Xmpp.Grains.Tests;

/// <summary>
/// In-memory state records that survive a cluster restart, counting what grains do with them, and
/// refusing writes on demand (<see cref="FailWrites"/>), as a store on a failing disk does.
/// </summary>
public sealed class CountingStateStore : IStateStore
{
    private readonly InMemoryStateStore _inner = new();
    private int _reads;
    private int _writes;

    public int Reads => Volatile.Read(ref _reads);

    public int Writes => Volatile.Read(ref _writes);

    /// <summary>While set, writes and clears throw (reads still work) and store nothing.</summary>
    public bool FailWrites { get; set; }

    public Task<StoredState?> ReadAsync(GrainStateId id, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return _inner.ReadAsync(id, cancellationToken);
    }

    public Task<string> WriteAsync(GrainStateId id, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        return FailWrites ? Task.FromException<string>(new IOException("disk failure (test)")) : _inner.WriteAsync(id, data, expectedEtag, cancellationToken);
    }

    public Task ClearAsync(GrainStateId id, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        return FailWrites ? Task.FromException(new IOException("disk failure (test)")) : _inner.ClearAsync(id, expectedEtag, cancellationToken);
    }

    public Task<bool> ExistsAsync(GrainStateId id) => _inner.ReadAsync(id).ContinueWith(t => t.Result is not null, TaskScheduler.Default);

    /// <summary>Polls until a grain has written the state, failing after 10 s.</summary>
    public async Task WaitUntilStoredAsync(GrainStateId id, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await ExistsAsync(id))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {because}.");
            await Task.Delay(20);
        }
    }
}
