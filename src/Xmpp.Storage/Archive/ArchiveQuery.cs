namespace Xmpp.Storage.Archive;

/// <summary>
/// Which stanzas of an archive a query wants (the filter: XEP-0313's form) and which page of them
/// (XEP-0059 result set management). Every bound is optional; ids are <see cref="ArchiveId"/>s.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ArchiveQuery
{
    /// <summary>Only stanzas with this party: a bare JID matches it and all its full JIDs, a full JID only itself.</summary>
    [Id(0)]
    public string? With { get; init; }

    /// <summary>Whether <see cref="With"/> is matched as a bare JID (true) or exactly (false).</summary>
    [Id(1)]
    public bool WithIsBare { get; init; }

    /// <summary>Only ids at or above this (the form's <c>start</c> time).</summary>
    [Id(2)]
    public long? MinId { get; init; }

    /// <summary>Only ids at or below this (the form's <c>end</c> time).</summary>
    [Id(3)]
    public long? MaxId { get; init; }

    /// <summary>Only ids above this (the form's <c>after-id</c>).</summary>
    [Id(4)]
    public long? AfterId { get; init; }

    /// <summary>Only ids below this (the form's <c>before-id</c>).</summary>
    [Id(5)]
    public long? BeforeId { get; init; }

    /// <summary>Only these ids (the form's <c>ids</c>).</summary>
    [Id(6)]
    public IReadOnlyList<long>? Ids { get; init; }

    /// <summary>The page starts after this id (RSM <c>after</c>).</summary>
    [Id(7)]
    public long? PageAfter { get; init; }

    /// <summary>The page ends before this id (RSM <c>before</c> with an id).</summary>
    [Id(8)]
    public long? PageBefore { get; init; }

    /// <summary>The page is the last of the range (RSM <c>before</c>, empty or with an id), not the first.</summary>
    [Id(9)]
    public bool FromEnd { get; init; }

    /// <summary>At most this many stanzas (0: none, only the counts).</summary>
    [Id(10)]
    public int Max { get; init; } = 50;

    /// <summary>Whether the page should say how many stanzas pass the filter (a store that cannot count cheaply never does).</summary>
    [Id(11)]
    public bool Count { get; init; } = true;

    /// <summary>Whether a stanza passes the filter (not the page bounds): what every store's query means.</summary>
    public bool Matches(ArchivedStanza stanza)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        var id = stanza.Id;
        return (With is null || (WithIsBare ? stanza.WithBare == With : stanza.With == With))
            && (MinId is null || id >= MinId)
            && (MaxId is null || id <= MaxId)
            && (AfterId is null || id > AfterId)
            && (BeforeId is null || id < BeforeId)
            && (Ids is null || Ids.Contains(id));
    }

    /// <summary>Whether a stanza that passes the filter lies within the page bounds.</summary>
    public bool WithinPageBounds(long id) => (PageAfter is null || id > PageAfter) && (PageBefore is null || id < PageBefore);
}
