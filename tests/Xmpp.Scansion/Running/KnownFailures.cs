using System.Globalization;

namespace Xmpp.Scansion.Running;

/// <summary>
/// The known-failing list: one line per script, <c>&lt;script file name&gt;  &lt;issue number&gt;  &lt;short reason&gt;</c>,
/// <c>#</c> starts a comment. A listed script still runs, and must still fail; the day it passes
/// its test fails and asks for the line to be removed. Nothing is ever skipped.
/// </summary>
public sealed class KnownFailures
{
    private readonly Dictionary<string, KnownFailure> _entries;

    private KnownFailures(Dictionary<string, KnownFailure> entries) => _entries = entries;

    public static KnownFailures Empty { get; } = new([]);

    public IReadOnlyCollection<KnownFailure> Entries => _entries.Values;

    public KnownFailure? Find(string script) => _entries.GetValueOrDefault(script);

    public static KnownFailures Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return File.Exists(path) ? Parse(File.ReadAllText(path), Path.GetFileName(path)) : Empty;
    }

    public static KnownFailures Parse(string text, string fileName = ScriptCatalog.KnownFailingFile)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new Dictionary<string, KnownFailure>(StringComparer.Ordinal);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length < 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var issue))
            {
                throw new FormatException($"{fileName}:{i + 1}: expected '<script file name>  <issue number>  <short reason>', got '{line.Trim()}'");
            }

            if (!entries.TryAdd(parts[0], new KnownFailure(parts[0], issue, parts[2], i + 1)))
            {
                throw new FormatException($"{fileName}:{i + 1}: {parts[0]} is listed twice");
            }
        }

        return new KnownFailures(entries);
    }
}
