namespace Xmpp.Storage.Archive;

/// <summary>
/// Message archives (XEP-0313): per owner (an account's or a room's bare JID), append-only stanzas
/// queried by id and time ranges, a party, and pages. Each archive has a single writer (its
/// owner's grain), which hands out increasing ids; the stores keep them in id order so that a page
/// is one range read. Every provider passes the same contract tests.
/// </summary>
public interface IArchiveStore
{
    /// <summary>
    /// Adds stanzas whose ids are above every id the owner's archive holds. Durable when the task
    /// completes. The write is under way when the call returns: see <see cref="WritesInOrder"/>.
    /// </summary>
    Task AppendAsync(string owner, IReadOnlyList<ArchivedStanza> stanzas, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when appends complete in the order they were called, in this process: once an append's
    /// task has completed, every append called before it (of any owner) has completed too, stored or
    /// failed. One writer committing a queue in order (SQLite) or a store that writes at once (in
    /// memory) gives that; independent requests (Azure Tables) do not. An owner's grain uses it to
    /// let a message go before its own copy is durable: the recipient's copy is appended after it,
    /// so once the recipient's is durable, the sender's is too.
    /// </summary>
    bool WritesInOrder { get; }

    /// <summary>The page of the owner's stanzas that <paramref name="query"/> asks for.</summary>
    Task<ArchivePage> QueryAsync(string owner, ArchiveQuery query, CancellationToken cancellationToken = default);

    /// <summary>Whether the owner's archive holds this id.</summary>
    Task<bool> ContainsAsync(string owner, long id, CancellationToken cancellationToken = default);

    /// <summary>The oldest and the newest stanza's ids, or null when the archive is empty.</summary>
    Task<ArchiveBounds?> GetBoundsAsync(string owner, CancellationToken cancellationToken = default);

    /// <summary>Deletes the owner's stanzas with ids below <paramref name="beforeId"/>; all of them when it is null.</summary>
    Task DeleteAsync(string owner, long? beforeId = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the owner's oldest stanzas until at most <paramref name="keep"/> are left.</summary>
    Task TrimAsync(string owner, int keep, CancellationToken cancellationToken = default);
}

/// <summary>The ids of an archive's oldest and newest stanzas.</summary>
[GenerateSerializer, Immutable]
public sealed record ArchiveBounds(long First, long Last);
