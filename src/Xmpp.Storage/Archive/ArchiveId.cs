using System.Globalization;

namespace Xmpp.Storage.Archive;

/// <summary>
/// Archive ids (XEP-0313, and the XEP-0359 stanza-id clients see): the archiving time in
/// microseconds since the Unix epoch, made strictly increasing within one archive by its single
/// writer (<see cref="Next"/>). So id order is time order, a time range is an id range (one range
/// query in every store), and an id tells its stanza's time. Written as 16 lowercase hex digits,
/// whose string order is the same as their numeric order.
/// </summary>
public static class ArchiveId
{
    /// <summary>The id after <paramref name="last"/> for a stanza archived at <paramref name="now"/>.</summary>
    public static long Next(long last, DateTimeOffset now) => Math.Max(FromTime(now), last + 1);

    /// <summary>The smallest id a stanza archived at <paramref name="time"/> can have.</summary>
    public static long FromTime(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset ToTime(long id) => DateTimeOffset.UnixEpoch.AddTicks(id * TimeSpan.TicksPerMicrosecond);

    public static string Format(long id) => id.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Reads an id as <see cref="Format"/> writes it; false for anything else (an id this server never gave out).</summary>
    public static bool TryParse(string? text, out long id)
    {
        id = 0;
        return text is { Length: 16 }
            && !text.Any(char.IsUpper)
            && long.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id)
            && id >= 0;
    }
}
