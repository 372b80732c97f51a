using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Archive;

/// <summary>
/// One message archive (XEP-0313), key: its owner's bare JID (an account or a room): answers the
/// owner's clients' queries and keeps the archive within its retention. The owner's grain writes
/// the archive itself (<see cref="ArchiveWriter"/>).
/// </summary>
public interface IArchiveGrain : IGrainWithStringKey
{
    /// <summary>The page the query asks for; null when an id it names is not in the archive (item-not-found).</summary>
    Task<ArchivePage?> QueryAsync(ArchiveQuery query);

    /// <summary>The ids of the oldest and newest archived stanzas, or null when there are none (the XEP-0313 metadata query).</summary>
    Task<ArchiveBounds?> GetBoundsAsync();

    /// <summary>Deletes the whole archive (the account or room is gone).</summary>
    Task DeleteAllAsync();

    /// <summary>Deletes what the retention settings no longer keep (<see cref="ArchiveOptions.MaxAge"/>, <see cref="ArchiveOptions.MaxMessages"/>).</summary>
    [OneWay]
    Task ApplyRetentionAsync();
}
