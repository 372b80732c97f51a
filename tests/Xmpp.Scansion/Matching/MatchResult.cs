namespace Xmpp.Scansion.Matching;

/// <summary>
/// The outcome of comparing a received stanza with the expected one: success with the values
/// captured by <c>{scansion:capture:NAME}</c>, or the first difference found, with the path of the
/// element where it is (<c>/iq/query/item[2]</c>).
/// </summary>
public sealed record MatchResult(bool IsMatch, string? Difference, IReadOnlyDictionary<string, string> Captures)
{
    private static readonly Dictionary<string, string> NoCaptures = [];

    public static MatchResult Match(IReadOnlyDictionary<string, string> captures) => new(true, null, captures);

    public static MatchResult Mismatch(string difference) => new(false, difference, NoCaptures);
}
