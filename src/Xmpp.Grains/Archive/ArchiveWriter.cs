using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Archive;

/// <summary>A stanza to archive and the other party it was exchanged with (<see cref="ArchivedStanza.With"/>).</summary>
public sealed record ArchiveEntry(string With, Element Stanza);

/// <summary>An append under way: the ids it gave its entries, and its completion once they are durable.</summary>
public readonly record struct ArchiveWrite(long[] Ids, Task Durable);

/// <summary>
/// The writing side of one archive, held by its owner's grain (an account's or a room's), the
/// archive's only writer: it hands out the ids, strictly increasing across activations (the newest
/// stored id is read before the first write of an activation), and appends to the store itself.
/// The owner's <see cref="IArchiveGrain"/> serves queries and the metadata, and applies retention
/// (asked to after <see cref="RetentionInterval"/> appends) and deletion.
/// </summary>
/// <remarks>
/// Why the owner writes and not its ArchiveGrain (DESIGN.md has appends go through it): a message
/// exchanged between two accounts is archived twice, once by each, and what the recipient delivers
/// must already be durable in both archives. Through a grain call, the sender's append reaches the
/// store at some later moment, so the sender had to wait for its append to be durable before it
/// could pass the message on, and every message waited for two commits in sequence (plus two
/// hand-offs to the archive grains). Written here, the sender's append is queued in the store
/// before the message leaves; on a store that completes appends in order
/// (<see cref="IArchiveStore.WritesInOrder"/>: SQLite's one writer) the recipient's own append,
/// queued after it, cannot be durable before it, so the message goes on at once and its delivery
/// waits for one commit, which the two appends usually share with everything else queued meanwhile.
/// A store without that order (Azure Tables) gets the sender's append awaited before the message
/// goes on, as before.
/// </remarks>
internal sealed class ArchiveWriter(string owner, IArchiveStore store, IGrainFactory grains, ArchiveOptions options, TimeProvider clock)
{
    /// <summary>Appends between two retention passes of an archive (when retention is configured).</summary>
    public const int RetentionInterval = 1000;

    private long? _last; // the newest id handed out; read from the store before the first append
    private int _appendsSinceRetention;

    /// <summary>
    /// Starts appending the entries, in order. Answers once the append is under way in the store
    /// when the store completes appends in order, so that whatever the owner sends after this returns
    /// is appended (by its recipient) behind it; on any other store once the append is durable.
    /// Either way, <see cref="ArchiveWrite.Durable"/> says when it is.
    /// </summary>
    public async ValueTask<ArchiveWrite> StartAsync(IReadOnlyList<ArchiveEntry> entries)
    {
        // The first append of an activation reads the newest stored id; it also has retention
        // applied, as the archive may have aged since it was last written.
        var first = _last is null;
        var last = _last ?? (await store.GetBoundsAsync(owner))?.Last ?? 0;
        var now = clock.GetUtcNow();
        var stanzas = new ArchivedStanza[entries.Count];
        var ids = new long[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            // An id once handed out is never handed out again, even when the write fails.
            _last = last = ids[i] = ArchiveId.Next(last, now);
            stanzas[i] = new ArchivedStanza(ids[i], entries[i].With, XmlText.Serialize(entries[i].Stanza));
        }

        var durable = store.AppendAsync(owner, stanzas);
        if (first || (_appendsSinceRetention += ids.Length) >= RetentionInterval)
        {
            AskForRetention(); // after the append, so that the pass counts it
        }

        if (!store.WritesInOrder)
        {
            await durable;
        }

        return new ArchiveWrite(ids, durable);
    }

    private void AskForRetention()
    {
        _appendsSinceRetention = 0;
        if (options.MaxAge is not null || options.MaxMessages is not null)
        {
            // One-way: the archive grain trims in its own time; nothing here waits for it.
            _ = grains.GetGrain<IArchiveGrain>(owner).ApplyRetentionAsync();
        }
    }
}
