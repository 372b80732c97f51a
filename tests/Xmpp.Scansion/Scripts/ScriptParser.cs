using System.Globalization;
using System.Text;
using Xmpp.Protocol.Xml;

namespace Xmpp.Scansion.Scripts;

/// <summary>
/// Reads the scansion script format (SCANSION.md "Script structure"):
/// <list type="bullet">
/// <item><c>#</c>, <c>//</c> and <c>--</c> lines are comments; a row of three or more dashes
/// separates the character definitions from the actions.</item>
/// <item><c>[Client] Name</c> defines a client (the name runs to the end of the line), followed by
/// indented <c>key: value</c> lines.</item>
/// <item>Actions: <c>Name connects</c>, <c>Name disconnects</c>, <c>Name sends:</c>,
/// <c>Name receives:</c>, <c>Name receives: nothing</c>; the colon may be missing; the longest
/// defined name that fits is the one meant.</item>
/// <item>The XML of sends/receives is the indented block that follows; blank lines do not end it.</item>
/// </list>
/// </summary>
public static class ScriptParser
{
    private const string ClientTag = "[Client]";

    public static ScansionScript ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static ScansionScript Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var clients = new List<ClientDefinition>();
        var actions = new List<ScriptAction>();
        string? title = null;
        ClientDefinition? open = null; // the [Client] block whose key: value lines may follow
        var byLength = new List<ClientDefinition>();

        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            var lineNumber = i + 1;
            i++;

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (IsSeparator(line))
            {
                open = null;
                continue;
            }

            if (IsComment(line))
            {
                if (title is null && line.TrimStart().StartsWith('#'))
                {
                    title = line.TrimStart().TrimStart('#').Trim();
                }

                continue;
            }

            if (IsIndented(line))
            {
                if (open is null)
                {
                    throw new ScriptFormatException(name, lineNumber, $"indented line outside a client definition or XML block: '{line.Trim()}'");
                }

                open = WithProperty(open, line.Trim(), name, lineNumber);
                clients[^1] = open;
                byLength = SortedByLength(clients);
                continue;
            }

            if (line.StartsWith(ClientTag, StringComparison.Ordinal))
            {
                var clientName = line[ClientTag.Length..].Trim();
                if (clientName.Length == 0)
                {
                    throw new ScriptFormatException(name, lineNumber, "[Client] without a name");
                }

                if (clients.Exists(c => c.Name == clientName))
                {
                    throw new ScriptFormatException(name, lineNumber, $"client '{clientName}' is defined twice");
                }

                open = new ClientDefinition(clientName, lineNumber);
                clients.Add(open);
                byLength = SortedByLength(clients);
                continue;
            }

            open = null;
            var (client, kind) = ParseActionLine(line, byLength, name, lineNumber);
            IReadOnlyList<Element> stanzas = [];
            if (kind is ActionKind.Send or ActionKind.Receive)
            {
                var block = ReadBlock(lines, ref i, out var blockStart);
                if (block.Length == 0)
                {
                    throw new ScriptFormatException(name, lineNumber, $"'{client.Name}' {(kind == ActionKind.Send ? "sends" : "receives")} without an XML block");
                }

                stanzas = ScriptXml.ParseBlock(block, name, blockStart);
                if (stanzas.Count == 0)
                {
                    throw new ScriptFormatException(name, lineNumber, "the XML block holds no element");
                }
            }

            actions.Add(new ScriptAction(client, kind, lineNumber, stanzas));
        }

        return new ScansionScript(name, title ?? string.Empty, clients, actions);
    }

    /// <summary>A row of three or more dashes and nothing else.</summary>
    public static bool IsSeparator(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= 3 && trimmed.All(c => c == '-');
    }

    private static bool IsComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith('#') || trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("--", StringComparison.Ordinal);
    }

    private static bool IsIndented(string line) => line.Length > 0 && char.IsWhiteSpace(line[0]);

    private static List<ClientDefinition> SortedByLength(List<ClientDefinition> clients) =>
        [.. clients.OrderByDescending(c => c.Name.Length)];

    private static ClientDefinition WithProperty(ClientDefinition client, string line, string script, int lineNumber)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new ScriptFormatException(script, lineNumber, $"expected 'key: value' in the definition of '{client.Name}'");
        }

        var key = line[..colon].Trim();
        var value = line[(colon + 1)..].Trim();
        return key switch
        {
            "jid" => client with { Jid = value },
            "password" => client with { Password = value },
            "resource" => client with { Resource = value },
            "connect_host" => client with { ConnectHost = value },
            "connect_port" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
                ? client with { ConnectPort = port }
                : throw new ScriptFormatException(script, lineNumber, $"connect_port '{value}' is not a port number"),
            _ => client, // unknown keys are ignored
        };
    }

    private static (ClientDefinition Client, ActionKind Kind) ParseActionLine(string line, List<ClientDefinition> byLength, string script, int lineNumber)
    {
        var text = line.TrimEnd();
        foreach (var client in byLength)
        {
            // The longest name first, so "Juliet's phone sends" is not read as Juliet doing "'s phone sends".
            if (!text.StartsWith(client.Name, StringComparison.Ordinal) || text.Length <= client.Name.Length || !char.IsWhiteSpace(text[client.Name.Length]))
            {
                continue;
            }

            var kind = ParseVerb(text[client.Name.Length..].Trim());
            if (kind is not null)
            {
                return (client, kind.Value);
            }
        }

        throw new ScriptFormatException(script, lineNumber, $"not an action of a defined client: '{text}'");
    }

    private static ActionKind? ParseVerb(string verb)
    {
        var colon = verb.IndexOf(':', StringComparison.Ordinal);
        var word = (colon < 0 ? verb : verb[..colon]).Trim();
        var rest = colon < 0 ? string.Empty : verb[(colon + 1)..].Trim();
        if (colon < 0)
        {
            // Without a colon, "receives nothing" still has its argument after a space.
            var space = word.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                rest = word[(space + 1)..].Trim();
                word = word[..space];
            }
        }

        return (word, rest) switch
        {
            ("connects", "") => ActionKind.Connect,
            ("disconnects", "") => ActionKind.Disconnect,
            ("sends", "") => ActionKind.Send,
            ("receives", "") => ActionKind.Receive,
            ("receives", "nothing") => ActionKind.ReceiveNothing,
            _ => null,
        };
    }

    /// <summary>
    /// The indented lines after an action, up to the next non-blank line that starts at column 0;
    /// blank lines inside do not end it (trailing blank lines are not part of it).
    /// </summary>
    private static string ReadBlock(string[] lines, ref int i, out int firstLine)
    {
        firstLine = i + 1;
        var end = i;
        var j = i;
        while (j < lines.Length && (string.IsNullOrWhiteSpace(lines[j]) || IsIndented(lines[j])))
        {
            if (!string.IsNullOrWhiteSpace(lines[j]))
            {
                end = j + 1;
            }

            j++;
        }

        var builder = new StringBuilder();
        for (var k = i; k < end; k++)
        {
            builder.Append(lines[k]).Append('\n');
        }

        i = end;
        return builder.ToString();
    }
}
