namespace Xmpp.Runtime.Storage;

/// <summary>
/// Durable storage of grain state, one record per (grain type, key, state name). Providers store
/// opaque bytes (the runtime serializes); every provider passes the same contract tests.
/// </summary>
public interface IGrainStorage
{
    /// <summary>The stored record, or null when there is none.</summary>
    Task<StoredState?> ReadAsync(GrainStateId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes when the stored ETag equals <paramref name="expectedEtag"/> (null: no record may
    /// exist yet) and returns the new ETag; otherwise throws <see cref="InconsistentStateException"/>.
    /// Durable when the task completes.
    /// </summary>
    Task<string> WriteAsync(GrainStateId id, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record under the same ETag rule as <see cref="WriteAsync"/>.</summary>
    Task ClearAsync(GrainStateId id, string? expectedEtag, CancellationToken cancellationToken = default);
}
