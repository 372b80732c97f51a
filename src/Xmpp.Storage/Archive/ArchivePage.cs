namespace Xmpp.Storage.Archive;

/// <summary>One page of a query's result, oldest first.</summary>
/// <param name="Items">The stanzas of the page, in id order.</param>
/// <param name="Complete">
/// No stanza of the filter lies beyond this page in the direction of paging: after its last one
/// (paging forwards), before its first one (paging backwards, <see cref="ArchiveQuery.FromEnd"/>).
/// </param>
/// <param name="Count">How many stanzas pass the filter, when the query asked and the store can tell cheaply; else null.</param>
[GenerateSerializer, Immutable]
public sealed record ArchivePage(IReadOnlyList<ArchivedStanza> Items, bool Complete, int? Count);
