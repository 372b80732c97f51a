namespace Xmpp.Grains.Upload;

/// <summary>Content types as mod_http_file_share compares them with its lists: equal (ignoring case), or of a <c>type/*</c>.</summary>
public static class MediaTypes
{
    public static bool MatchesAny(IEnumerable<string> patterns, string type) => patterns.Any(p => Matches(p, type));

    private static bool Matches(string pattern, string type) =>
        pattern.EndsWith("/*", StringComparison.Ordinal)
            ? type.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, type, StringComparison.OrdinalIgnoreCase);
}
