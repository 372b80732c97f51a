using Orleans.Storage;

namespace Xmpp.Storage;

/// <summary>
/// Durable records of grain state, one per (grain type, key, state name), each with an ETag. What a
/// storage provider implements: it stores opaque bytes (<see cref="StateStoreGrainStorage"/>
/// serializes and is Orleans' grain storage on top), and every provider passes the same contract tests.
/// </summary>
public interface IStateStore
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
