using Microsoft.Extensions.Options;
using Orleans.Placement;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Archive;

/// <summary>
/// One archive over the <see cref="IArchiveStore"/>. Ids are the archiving time in microseconds,
/// kept strictly increasing across activations: the newest stored id is read when the grain
/// activates. Retention (<see cref="ArchiveOptions.MaxAge"/>, <see cref="ArchiveOptions.MaxMessages"/>)
/// is applied when it activates and then after every <see cref="RetentionInterval"/> appends.
/// </summary>
/// <remarks>
/// Placed with its first caller, which is its owner's grain: appends and queries are calls within
/// the silo. An append is answered only when the store has it, so what the owner's grain delivers
/// after awaiting it is already in the archive if the process dies a moment later. The SQLite store
/// commits every write queued meanwhile together, so concurrent appends of many archives share one commit.
/// </remarks>
[GrainType("archive")]
[PreferLocalPlacement]
public sealed class ArchiveGrain(IArchiveStore store, IOptions<XmppOptions> options, TimeProvider clock) : Grain, IArchiveGrain
{
    /// <summary>Appends between two retention passes of an active archive.</summary>
    public const int RetentionInterval = 1000;

    private readonly ArchiveOptions _options = options.Value.Archive;
    private string _owner = null!;
    private ArchiveBounds? _bounds;
    private long _last;
    private int _appendsSinceRetention;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _owner = this.GetPrimaryKeyString();
        _bounds = await store.GetBoundsAsync(_owner, cancellationToken);
        _last = _bounds?.Last ?? 0;
        await ApplyRetentionAsync();
    }

    public async Task<long[]> AppendAsync(IReadOnlyList<ArchiveEntry> entries)
    {
        var now = clock.GetUtcNow();
        var stanzas = new ArchivedStanza[entries.Count];
        var ids = new long[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            // An id once handed out is never handed out again, even when the write fails.
            _last = ids[i] = ArchiveId.Next(_last, now);
            stanzas[i] = new ArchivedStanza(ids[i], entries[i].With, XmlText.Serialize(entries[i].Stanza));
        }

        await store.AppendAsync(_owner, stanzas);
        if (ids.Length > 0)
        {
            _bounds = new ArchiveBounds(_bounds?.First ?? ids[0], ids[^1]);
        }

        _appendsSinceRetention += ids.Length;
        if (_appendsSinceRetention >= RetentionInterval)
        {
            await ApplyRetentionAsync();
        }

        return ids;
    }

    public async Task<ArchivePage?> QueryAsync(ArchiveQuery query)
    {
        foreach (var named in (long?[])[query.AfterId, query.BeforeId, query.PageAfter, query.PageBefore])
        {
            if (named is { } id && !await store.ContainsAsync(_owner, id))
            {
                return null;
            }
        }

        return await store.QueryAsync(_owner, query);
    }

    public Task<ArchiveBounds?> GetBoundsAsync() => Task.FromResult(_bounds);

    public async Task DeleteAllAsync()
    {
        await store.DeleteAsync(_owner);
        _bounds = null;
    }

    private async Task ApplyRetentionAsync()
    {
        _appendsSinceRetention = 0;
        if (_bounds is null)
        {
            return;
        }

        if (_options.MaxAge is { } maxAge && ArchiveId.FromTime(clock.GetUtcNow() - maxAge) is var oldest && oldest > _bounds.First)
        {
            await store.DeleteAsync(_owner, oldest);
        }

        if (_options.MaxMessages is { } cap)
        {
            await store.TrimAsync(_owner, cap);
        }

        _bounds = await store.GetBoundsAsync(_owner);
    }
}
