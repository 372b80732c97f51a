namespace Xmpp.Grains.Archive;

/// <summary>
/// Message archives (XEP-0313), configuration section "Xmpp:Archive". Defaults follow Prosody's
/// mod_mam where it has the same setting (named in the comments), except that nothing expires
/// unless configured: a user's history is not deleted behind their back.
/// </summary>
public sealed class ArchiveOptions
{
    /// <summary>Whether accounts have archives at all (rooms have their own switch, per room).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What an account archives until its user sets preferences: "always", "roster" or "never" (default_archive_policy).</summary>
    public string DefaultPolicy { get; set; } = MamPrefs.Always;

    /// <summary>Results per page when a query does not say (Prosody: 20).</summary>
    public int DefaultPageSize { get; set; } = 20;

    /// <summary>The most results one page returns, whatever the query asks (max_archive_query_results).</summary>
    public int MaxPageSize { get; set; } = 50;

    /// <summary>
    /// Whether a page says how many messages match the query (XEP-0059 count; mam_include_total).
    /// Optional in XEP-0313 and costly: SQLite counts by reading every matching row.
    /// </summary>
    public bool IncludeCount { get; set; } = true;

    /// <summary>Archived messages older than this are deleted (archive_expires_after); null: kept.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>The most messages one archive keeps; the oldest go first. Null: no cap.</summary>
    public int? MaxMessages { get; set; }
}
