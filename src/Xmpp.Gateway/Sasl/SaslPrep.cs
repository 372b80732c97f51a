using System.Globalization;
using System.Text;

namespace Xmpp.Gateway.Sasl;

/// <summary>
/// SASLprep (RFC 4013, the stringprep profile RFC 5802 §2.2 and RFC 4616 apply to passwords and
/// usernames): non-ASCII spaces become U+0020, "commonly mapped to nothing" characters vanish,
/// NFKC, and control/private-use/non-character code points are refused. ASCII strings without
/// controls pass through untouched and without allocation.
/// </summary>
public static class SaslPrep
{
    public static bool TryPrepare(string value, [NotNullWhen(true)] out string? prepared)
    {
        prepared = null;
        if (IsPlainAscii(value))
        {
            prepared = value;
            return true;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsMappedToNothing(rune.Value))
            {
                continue; // RFC 3454 table B.1
            }

            if (rune.Value > 0x7F && Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator)
            {
                builder.Append(' '); // RFC 4013 §2.1, table C.1.2
                continue;
            }

            builder.Append(rune.ToString());
        }

        string normalized;
        try
        {
            normalized = builder.ToString().Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return false; // lone surrogates
        }

        foreach (var rune in normalized.EnumerateRunes())
        {
            // RFC 4013 §2.3 prohibited output (controls, private use, non-characters, surrogates…).
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.Surrogate:
                case UnicodeCategory.OtherNotAssigned:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                    return false;
            }
        }

        prepared = normalized;
        return true;
    }

    private static bool IsPlainAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x20 or >= (char)0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMappedToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or (>= 0x200B and <= 0x200D)
            or 0x2060 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;
}
