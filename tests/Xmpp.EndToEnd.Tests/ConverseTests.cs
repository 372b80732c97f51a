using System.Diagnostics;
using System.Xml.Linq;
using Xmpp.Gateway.Tests;
using Xunit.Abstractions;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// A real browser client: Converse.js (npm) in headless Chromium (Debian), both installed by
/// test.sh, logs in over the server's WebSocket endpoint (RFC 7395) with OMEMO on by default,
/// against the server executable on SQLite with accounts made by the admin CLI. Converse decides
/// from the account's disco#info whether PEP (XEP-0163) is there; without it OMEMO and bookmarks
/// fall silent ("Not publishing via PEP because it's not supported!").
/// </summary>
public sealed class ConverseTests(ITestOutputHelper output) : IAsyncDisposable
{
    private const string Alice = "alice@localhost";
    private const string Bob = "bob@localhost";
    private const string OmemoDeviceList = "eu.siacs.conversations.axolotl.devicelist";
    private static readonly XNamespace Omemo = "eu.siacs.conversations.axolotl";
    private const string Bookmarks2 = "urn:xmpp:bookmarks:1";
    private const string Bookmarks2Compat = "urn:xmpp:bookmarks:1#compat";
    private const string LegacyBookmarks = "storage:bookmarks";
    private static readonly string[] BookmarkNodes = [Bookmarks2, LegacyBookmarks];
    private static readonly XNamespace DiscoInfo = "http://jabber.org/protocol/disco#info";

    // Bob's OMEMO device, published before Converse starts: only the server can tell Converse of it.
    private const string BobsDeviceId = "4242";

    // The room the probe bookmarks, as a user would with the bookmark button.
    private const string Room = "e2e@conference.localhost";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "xmpp-e2e", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Converse_uses_pep_for_omemo_device_lists_and_bookmarks()
    {
        var clock = Stopwatch.StartNew();
        var dist = ConverseInstallation.DistDirectory;
        var chromium = ConverseInstallation.Chromium;
        await using var server = await StartWithUsersAsync("alice", "bob");
        await MakeBobAContactWithAnOmemoDeviceAsync(server);
        var report = await RunConverseAsAliceAsync(server, dist, chromium);

        AssertPepFoundWithoutComplaint(report);
        var ownDevice = AssertOmemoDeviceListsFetched(report);
        var bookmarksNode = AssertBookmarksKeptInPep(report);

        // What the server keeps, asked by another client of Alice's: Converse's device and bookmark.
        await using var checker = await XmppTestClient.LoginAsync(server.C2sEndpoint, "alice", "alice-secret", "checker");
        Assert.Contains(ownDevice, DeviceIds(await checker.PepItemsAsync(Alice, OmemoDeviceList, "devices")));
        var bookmarks = await checker.PepItemsAsync(Alice, bookmarksNode, "bookmarks");
        Assert.Contains(bookmarks.Descendants(), e => (string?)e.Attribute("jid") == Room || (string?)e.Attribute("id") == Room);

        output.WriteLine($"Converse's device {ownDevice}, Bob's {string.Join(", ", report.ContactDevices)}; bookmarks on PEP node {bookmarksNode}; "
            + $"{report.Traffic.Length} stanzas; {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Converse logs in as Alice in Chromium, as a user would, and reports once it has settled.</summary>
    private static async Task<ConverseReport> RunConverseAsAliceAsync(ServerProcess server, string dist, string chromium)
    {
        await using var site = await ConversePageHost.StartAsync(Path.Combine(AppContext.BaseDirectory, "Converse"), dist);
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["ws"] = (await server.WebSocketUrlAsync()).ToString(),
            ["jid"] = Alice,
            ["password"] = "alice-secret",
            ["contact"] = Bob,
            ["room"] = Room,
            ["deadline_ms"] = "30000",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        await using var browser = HeadlessChromium.Open(chromium, new Uri(site.BaseUrl, "index.html?" + query));
        try
        {
            return ConverseReport.Parse(await site.ReportAsync(TimeSpan.FromSeconds(40)));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The page posted no report.\nChromium:\n{browser.Log}\nServer:\n{server.Output}");
        }
    }

    /// <summary>(1) Converse found PEP on the account, and nothing about it went wrong.</summary>
    private static void AssertPepFoundWithoutComplaint(ConverseReport report)
    {
        Assert.True(report.PepIdentity == true, "Converse found no pubsub/pep identity on the account" + report.Description);
        Assert.False(report.Console.Any(e => e.Text.Contains("Not publishing via PEP", StringComparison.Ordinal)), "Converse did not publish via PEP" + report.Description);
        Assert.False(report.Console.Any(e => e.Level == "error" || (e.IsProblem && MentionsPep(e.Text))), "Converse logged errors or PEP warnings" + report.Description);
        AssertEveryPubSubRequestAnswered(report);
        Assert.False(report.TimedOut, "Converse did not settle" + report.Description);
    }

    /// <summary>(2) Its own device list fetched and its new device published; the contact's list given by the server.</summary>
    private static string AssertOmemoDeviceListsFetched(ConverseReport report)
    {
        var log = report.Stanzas;
        Assert.True(log.SentPubSub("items", OmemoDeviceList).Any(iq => IsTo(iq, Alice)), "Converse did not fetch its own device list" + report.Description);
        var ownDevice = report.OwnDeviceId ?? throw new InvalidOperationException("Converse has no OMEMO device id" + report.Description);
        Assert.True(log.SentPubSub("publish", OmemoDeviceList).Any(iq => DeviceIds(iq).Contains(ownDevice) && IsResult(log.AnswerTo(iq))),
            $"Converse's device {ownDevice} was not published" + report.Description);
        Assert.Contains(ownDevice, report.OwnDevices);

        // Bob's list reaches Converse as the answer to its fetch or as the PEP notification of
        // the last item (XEP-0163 §4.3.4), whichever comes first; Converse's state has it either way.
        Assert.Contains(BobsDeviceId, report.ContactDevices);
        Assert.True(log.Received.Any(s => ((string?)s.Attribute("from"))?.StartsWith(Bob, StringComparison.Ordinal) == true && DeviceIds(s).Contains(BobsDeviceId)),
            "The server never gave Converse Bob's device list" + report.Description);
        foreach (var fetch in log.SentPubSub("items", OmemoDeviceList).Where(iq => (string?)iq.Attribute("to") == Bob))
        {
            Assert.True(log.AnswerTo(fetch) is { } answer && DeviceIds(answer).Contains(BobsDeviceId),
                $"Converse's fetch of Bob's device list was answered without his device: {StanzaLog.Show(fetch)}" + report.Description);
        }

        return ownDevice;
    }

    /// <summary>
    /// (3) Bookmarks fetched and the room's bookmark published through PEP. Converse takes
    /// Bookmarks 2 (XEP-0402) only where the account advertises its #compat feature, and the
    /// older PEP node (XEP-0048 stored as XEP-0223 says) otherwise.
    /// </summary>
    private static string AssertBookmarksKeptInPep(ConverseReport report)
    {
        var log = report.Stanzas;
        var fetch = log.SentPubSub("items", BookmarkNodes).FirstOrDefault();
        Assert.True(fetch is not null, "Converse did not fetch bookmarks through PEP" + report.Description);
        var node = (string)fetch.Descendants(StanzaLog.PubSub + "items").Single().Attribute("node")!;
        Assert.Equal(AccountFeatures(log).Contains(Bookmarks2Compat) ? Bookmarks2 : LegacyBookmarks, node);
        Assert.True(log.SentPubSub("publish", node).Any(iq => IsResult(log.AnswerTo(iq))), "Converse's bookmark was not published" + report.Description);
        Assert.Contains(Room, report.Bookmarks);
        return node;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Bob and Alice see each other's presence, and Bob has published an OMEMO device list, then leaves.</summary>
    private static async Task MakeBobAContactWithAnOmemoDeviceAsync(ServerProcess server)
    {
        await using var alice = await XmppTestClient.LoginAsync(server.C2sEndpoint, "alice", "alice-secret", "setup");
        await using var bob = await XmppTestClient.LoginAsync(server.C2sEndpoint, "bob", "bob-secret", "phone");
        await alice.BecomeMutualContactsAsync(bob);
        var published = await bob.PublishAsync(OmemoDeviceList, "current", $"<list xmlns='{Omemo}'><device id='{BobsDeviceId}'/></list>", "open", "devices");
        Assert.Equal("result", (string?)published.Attribute("type"));
        await alice.CloseAsync();
        await bob.CloseAsync();
    }

    /// <summary>
    /// Every pubsub request got an answer, and none was refused: the only error that is not the
    /// server's fault is item-not-found for a node nobody has published to yet.
    /// </summary>
    private static void AssertEveryPubSubRequestAnswered(ConverseReport report)
    {
        var log = report.Stanzas;
        foreach (var request in log.SentPubSubRequests())
        {
            var answer = log.AnswerTo(request);
            Assert.True(answer is not null, $"No answer to {StanzaLog.Show(request)}" + report.Description);
            var isRetrieval = request.Descendants(StanzaLog.PubSub + "items").Any();
            Assert.True(IsResult(answer) || (isRetrieval && StanzaLog.ErrorCondition(answer) == "item-not-found"),
                $"{StanzaLog.Show(request)}\nwas answered\n{StanzaLog.Show(answer)}" + report.Description);
        }
    }

    private static readonly string[] PepWords = ["PEP", "pubsub", "OMEMO", "bookmark", "device", "publish"];

    private static bool MentionsPep(string text) => PepWords.Any(word => text.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>The features of Alice's account as the server told Converse (disco#info of the bare JID, no node).</summary>
    private static HashSet<string> AccountFeatures(StanzaLog log) =>
        [.. log.Received
            .Where(s => (string?)s.Attribute("from") == Alice)
            .Elements(DiscoInfo + "query").Where(q => q.Attribute("node") is null)
            .Elements(DiscoInfo + "feature").Select(f => (string?)f.Attribute("var") ?? string.Empty)];

    private static bool IsResult(XElement? answer) => (string?)answer?.Attribute("type") == "result";

    private static bool IsTo(XElement iq, string bare) => (string?)iq.Attribute("to") is null || (string?)iq.Attribute("to") == bare;

    private static HashSet<string> DeviceIds(XElement stanza) =>
        [.. stanza.Descendants(Omemo + "list").Elements(Omemo + "device").Select(d => (string?)d.Attribute("id") ?? string.Empty)];

    /// <summary>The server on SQLite with these users (password: name + "-secret") added by the admin CLI, and its WebSocket endpoint on.</summary>
    private async Task<ServerProcess> StartWithUsersAsync(params string[] users)
    {
        string[] storage = ["--Storage:Provider=Sqlite", $"--DataDirectory={_dataDirectory}"];
        foreach (var user in users)
        {
            var (exitCode, cliOutput) = await ServerProcess.RunToEndAsync(["user", "add", user, user + "-secret", .. storage]);
            Assert.True(exitCode == 0, $"user add {user} failed: {cliOutput}");
        }

        // A negative port binds a free one; loopback counts as encrypted (the default), so
        // Converse's SCRAM over ws:// is accepted as a site behind a TLS proxy would be.
        return await ServerProcess.StartAsync([.. storage, "--Gateway:WebSocketPort=-1"]);
    }
}
