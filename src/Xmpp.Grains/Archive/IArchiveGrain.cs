using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Archive;

/// <summary>
/// One message archive (XEP-0313), key: its owner's bare JID (an account or a room). The only
/// writer of its store's archive, so the ids it hands out increase; its owner's grain appends and
/// asks, and answers the owner's clients.
/// </summary>
public interface IArchiveGrain : IGrainWithStringKey
{
    /// <summary>Archives the stanzas in order and answers their ids once they are durable.</summary>
    Task<long[]> AppendAsync([Immutable] IReadOnlyList<ArchiveEntry> entries);

    /// <summary>The page the query asks for; null when an id it names is not in the archive (item-not-found).</summary>
    Task<ArchivePage?> QueryAsync(ArchiveQuery query);

    /// <summary>The ids of the oldest and newest archived stanzas, or null when there are none (the XEP-0313 metadata query).</summary>
    Task<ArchiveBounds?> GetBoundsAsync();

    /// <summary>Deletes the whole archive (the account or room is gone).</summary>
    Task DeleteAllAsync();
}

/// <summary>A stanza to archive and the other party it was exchanged with (<see cref="ArchivedStanza.With"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record ArchiveEntry(string With, Element Stanza);
