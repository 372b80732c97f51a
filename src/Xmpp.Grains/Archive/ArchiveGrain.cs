using Microsoft.Extensions.Options;
using Orleans.Placement;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Archive;

/// <summary>
/// One archive over the <see cref="IArchiveStore"/>: queries, the metadata, deletion, and retention
/// (<see cref="ArchiveOptions.MaxAge"/>, <see cref="ArchiveOptions.MaxMessages"/>), applied when it
/// activates and whenever its owner's writer asks (<see cref="ArchiveWriter.RetentionInterval"/>).
/// </summary>
/// <remarks>
/// Holds nothing between calls: its owner's grain appends to the store directly, so every answer is
/// read from the store. Activated only for queries and retention, not for every archived message;
/// placed with its first caller, its owner's grain.
/// </remarks>
[GrainType("archive")]
[PreferLocalPlacement]
public sealed class ArchiveGrain(IArchiveStore store, IOptions<XmppOptions> options, TimeProvider clock) : Grain, IArchiveGrain
{
    private readonly ArchiveOptions _options = options.Value.Archive;
    private string _owner = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _owner = this.GetPrimaryKeyString();
        return ApplyRetentionAsync();
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

    public Task<ArchiveBounds?> GetBoundsAsync() => store.GetBoundsAsync(_owner);

    public Task DeleteAllAsync() => store.DeleteAsync(_owner);

    public async Task ApplyRetentionAsync()
    {
        if (_options.MaxAge is null && _options.MaxMessages is null)
        {
            return;
        }

        if (_options.MaxAge is { } maxAge && await store.GetBoundsAsync(_owner) is { } bounds
            && ArchiveId.FromTime(clock.GetUtcNow() - maxAge) is var oldest && oldest > bounds.First)
        {
            await store.DeleteAsync(_owner, oldest);
        }

        if (_options.MaxMessages is { } cap)
        {
            await store.TrimAsync(_owner, cap);
        }
    }
}
