using System.Text.Json;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// What Converse/probe.js posts once Converse has settled (or its deadline passed): Converse's own
/// state, its console, and every stanza it sent and received on the WebSocket.
/// </summary>
internal sealed record ConverseReport(
    bool TimedOut,
    ConverseFlags Flags,
    string? OwnJid,
    bool? PepIdentity,
    string? OwnDeviceId,
    string[] OwnDevices,
    string[] ContactDevices,
    string[] Bookmarks,
    ConsoleEntry[] Console,
    RecordedStanza[] Traffic)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ConverseReport Parse(string json) =>
        JsonSerializer.Deserialize<ConverseReport>(json, Json) ?? throw new JsonException("The report is null.");

    private StanzaLog? _stanzas;

    /// <summary>The traffic, parsed once.</summary>
    public StanzaLog Stanzas => _stanzas ??= new(Traffic);

    /// <summary>For failure messages: whether it settled, the console's warnings and errors, every stanza.</summary>
    public string Description =>
        $"\ntimed out: {TimedOut}, {Flags}\nconsole warnings and errors:\n"
        + string.Join('\n', Console.Where(e => e.IsProblem).Select(e => $"{e.Level}: {e.Text}"))
        + "\nstanzas:\n" + string.Join('\n', Traffic.Select(s => $"{s.Direction} {s.Xml}"));
}

/// <summary>Events of Converse that the probe saw.</summary>
internal sealed record ConverseFlags(bool Connected, bool OmemoInitialized, bool BookmarksInitialized);

/// <summary>One console message of the page (Converse logs through the console).</summary>
internal sealed record ConsoleEntry(string Level, string Text)
{
    public bool IsProblem => Level is "warn" or "error";
}

/// <summary>One stanza on the WebSocket: "out" was sent by Converse, "in" came from the server.</summary>
internal sealed record RecordedStanza(string Direction, string Xml);
