using System.Runtime.CompilerServices;
using System.Text;

namespace Xmpp.Protocol.Xml;

/// <summary>Character classes of XML 1.0 (Fifth Edition) §2.2–2.3, as the parser and writer need them.</summary>
internal static class XmlChars
{
    /// <summary>XML white space (§2.3 S): the only text allowed between stanzas.</summary>
    public static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    /// <summary>
    /// Bytes that may continue a name: the ASCII NameChars, plus every byte of a multi-byte UTF-8
    /// sequence (non-ASCII names are validated once complete).
    /// </summary>
    public static readonly SearchValues<byte> NameBytes = SearchValues.Create(BuildNameBytes());

    /// <summary>Bytes that may appear between '&amp;' and ';': name bytes and '#'.</summary>
    public static readonly SearchValues<byte> ReferenceBytes = SearchValues.Create([.. BuildNameBytes(), (byte)'#']);

    public static readonly SearchValues<byte> ContentDelimiters = SearchValues.Create("<&"u8);
    public static readonly SearchValues<byte> DoubleQuotedDelimiters = SearchValues.Create("\"&<"u8);
    public static readonly SearchValues<byte> SingleQuotedDelimiters = SearchValues.Create("'&<"u8);

    /// <summary>Characters of decoded text that need a second look: non-Chars and the line-end CR.</summary>
    public static readonly SearchValues<char> TextSpecial = SearchValues.Create(InvalidControls() + "\r\uFFFE\uFFFF");

    /// <summary>As <see cref="TextSpecial"/>, plus the white space that attribute-value normalization maps to a space (§3.3.3).</summary>
    public static readonly SearchValues<char> AttributeSpecial = SearchValues.Create(InvalidControls() + "\r\n\t\uFFFE\uFFFF");

    /// <summary>§2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].</summary>
    public static bool IsChar(int c) =>
        c >= 0x20 ? c <= 0xD7FF || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF) : c is 0x9 or 0xA or 0xD;

    /// <summary>§2.3 NameStartChar, without ':' (namespaces make names NCNames).</summary>
    public static bool IsNameStartChar(int c) =>
        c < 0x80
            ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' || c == '_'
            : (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF)
              || (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D)
              || (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF)
              || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);

    /// <summary>§2.3 NameChar, without ':'.</summary>
    public static bool IsNameChar(int c) =>
        IsNameStartChar(c) || (c < 0x80
            ? c is '-' or '.' || (uint)(c - '0') <= 9
            : c == 0xB7 || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040));

    /// <summary>Whether a complete name (no ':') is an NCName; the bytes have not been UTF-8-validated yet.</summary>
    public static bool IsNcName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        if (Ascii.IsValid(name))
        {
            // Every byte is already an ASCII NameChar (the scanner stopped at anything else).
            return IsNameStartChar(name[0]);
        }

        return IsNcNameSlow(name);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsNcNameSlow(ReadOnlySpan<byte> name)
    {
        var first = true;
        while (!name.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(name, out var rune, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            if (!(first ? IsNameStartChar(rune.Value) : IsNameChar(rune.Value)))
            {
                return false;
            }

            first = false;
            name = name[consumed..];
        }

        return true;
    }

    /// <summary>Whether the bytes of an entity reference form a Name (§2.3; ':' allowed anywhere).</summary>
    public static bool IsName(ReadOnlySpan<byte> name)
    {
        var first = true;
        while (!name.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(name, out var rune, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            var c = rune.Value;
            if (c != ':' && !(first ? IsNameStartChar(c) : IsNameChar(c)))
            {
                return false;
            }

            first = false;
            name = name[consumed..];
        }

        return !first;
    }

    private static string InvalidControls()
    {
        var builder = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            if (c is not ('\t' or '\n' or '\r'))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static byte[] BuildNameBytes()
    {
        var bytes = new List<byte>();
        for (var b = 0; b < 256; b++)
        {
            if (b >= 0x80 || b is '-' or '.' or ':' or '_' || (uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 'z' - 'a')
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
