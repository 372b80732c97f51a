using System.Buffers.Text;
using System.Text;

namespace Xmpp.Bench.Net;

/// <summary>
/// The body every measured message carries: <c>BENCH &lt;send timestamp&gt; &lt;sender&gt; &lt;seq&gt;</c>,
/// the timestamp in Stopwatch ticks of this process, so one-way latency needs no clock sync.
/// </summary>
internal static class BenchMessage
{
    private static readonly byte[] Marker = "BENCH "u8.ToArray();

    /// <summary>A message template: the bytes before and after the body text.</summary>
    public static (byte[] Prefix, byte[] Suffix) Template(string to, string type) =>
        (Encoding.UTF8.GetBytes($"<message to='{to}' type='{type}'><body>BENCH "), "</body></message>"u8.ToArray());

    public static int Write(Span<byte> destination, byte[] prefix, byte[] suffix, long timestamp, int sender, long sequence)
    {
        prefix.CopyTo(destination);
        var at = prefix.Length;
        Utf8Formatter.TryFormat(timestamp, destination[at..], out var n);
        at += n;
        destination[at++] = (byte)' ';
        Utf8Formatter.TryFormat(sender, destination[at..], out n);
        at += n;
        destination[at++] = (byte)' ';
        Utf8Formatter.TryFormat(sequence, destination[at..], out n);
        at += n;
        suffix.CopyTo(destination[at..]);
        return at + suffix.Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> element, out long timestamp, out int sender, out long sequence)
    {
        timestamp = sequence = sender = 0;
        var at = element.IndexOf(Marker);
        if (at < 0)
        {
            return false;
        }

        var rest = element[(at + Marker.Length)..];
        if (!Utf8Parser.TryParse(rest, out timestamp, out var n) || n >= rest.Length)
        {
            return false;
        }

        rest = rest[(n + 1)..];
        if (!Utf8Parser.TryParse(rest, out sender, out n) || n >= rest.Length)
        {
            return false;
        }

        rest = rest[(n + 1)..];
        return Utf8Parser.TryParse(rest, out sequence, out _);
    }

    /// <summary>Whether the element is a stanza of type error (its start tag says so).</summary>
    public static bool IsError(ReadOnlySpan<byte> element)
    {
        var end = element.IndexOf((byte)'>');
        var tag = end < 0 ? element : element[..end];
        return tag.IndexOf("type='error'"u8) >= 0 || tag.IndexOf("type=\"error\""u8) >= 0;
    }
}
