using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Xmpp.Storage.Archive;
using Xmpp.Storage.AzureTables;
using Xmpp.Storage.Sqlite;

// archive-latency STORE [COUNT] [QUERIES]
// Fills the archive of bench@localhost with COUNT messages (default 100,000; a conversation with
// two parties, about 200 bytes each, one per millisecond of archive time) unless it already holds
// them, then times QUERIES (default 50) queries of each kind a client makes: the last page (what a
// client opening a chat asks for), the first page, the last page with one party, a page in the
// middle; the last page also without the RSM count (Xmpp:Archive:IncludeCount). STORE is a SQLite file, or an Azure Storage connection string (with a TableEndpoint=,
// e.g. Azurite's). Prints the latency percentiles of each kind.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: archive-latency SQLITE-FILE|AZURE-CONNECTION-STRING [COUNT] [QUERIES]");
    return 2;
}

var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var queries = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
const string Owner = "bench@localhost";
await using var database = args[0].Contains("TableEndpoint=", StringComparison.Ordinal) ? null : new SqliteDatabase(args[0]);
IArchiveStore store = database is null ? new AzureTableArchiveStore(new TableServiceClient(args[0])) : new SqliteArchiveStore(database);

var start = ArchiveId.FromTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
var bounds = await store.GetBoundsAsync(Owner);
if (bounds != new ArchiveBounds(start, start + ((count - 1) * 1000L)))
{
    await store.DeleteAsync(Owner);
    var fill = Stopwatch.StartNew();
    const int Batch = 500;
    for (var i = 0; i < count; i += Batch)
    {
        var stanzas = Enumerable.Range(i, Math.Min(Batch, count - i)).Select(n => new ArchivedStanza(
            start + (n * 1000L),
            n % 2 == 0 ? "juliet@localhost/balcony" : "nurse@localhost/kitchen",
            $"<message xmlns='jabber:client' from='bench@localhost/desk' to='{(n % 2 == 0 ? "juliet" : "nurse")}@localhost' type='chat' id='m{n}' xml:lang='en'><body>Message number {n} of the benchmark archive, about as long as a chat line.</body></message>")).ToArray();
        await store.AppendAsync(Owner, stanzas);
    }

    Console.WriteLine($"filled {count:N0} messages in {fill.Elapsed.TotalSeconds:F1} s");
}

var middle = start + (count / 2 * 1000L);
(string Name, ArchiveQuery Query)[] kinds =
[
    ("last page (before='', max 50)", new ArchiveQuery { FromEnd = true, Max = 50 }),
    ("last page without the count", new ArchiveQuery { FromEnd = true, Max = 50, Count = false }),
    ("first page (max 50)", new ArchiveQuery { Max = 50 }),
    ("last page with one party", new ArchiveQuery { FromEnd = true, Max = 50, With = "nurse@localhost", WithIsBare = true }),
    ("page after an id in the middle", new ArchiveQuery { Max = 50, PageAfter = middle }),
];
foreach (var (name, query) in kinds)
{
    var timings = new double[queries];
    for (var i = -3; i < queries; i++)
    {
        var watch = Stopwatch.StartNew();
        var page = await store.QueryAsync(Owner, query);
        if (page.Items.Count != 50)
        {
            Console.Error.WriteLine($"{name}: {page.Items.Count} items instead of 50");
            return 1;
        }

        if (i >= 0)
        {
            timings[i] = watch.Elapsed.TotalMilliseconds; // the first three warm the connection and caches
        }
    }

    Array.Sort(timings);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: p50 {timings[queries / 2]:F2} ms, p95 {timings[(int)(queries * 0.95)]:F2} ms, max {timings[^1]:F2} ms ({queries} queries)"));
}

return 0;
