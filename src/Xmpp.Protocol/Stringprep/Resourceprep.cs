using System.Text;

namespace Xmpp.Protocol.Stringprep;

/// <summary>
/// Resourceprep, the stringprep profile (RFC 3454) for resource identifiers of RFC 3920 Appendix B,
/// on the Unicode 3.2 tables stringprep is defined on. <see cref="Jid"/> prepares addresses with
/// RFC 7622's PRECIS profiles, which replaced it; this is for what still follows Prosody, which
/// prepares with stringprep: its multi-user chat takes a nickname only when strict resourceprep
/// (no code points unassigned in Unicode 3.2) accepts it.
/// </summary>
public static class Resourceprep
{
    /// <summary>
    /// RFC 3454 §3–§6 in order: map (table B.1 to nothing; resourceprep does no case folding),
    /// normalise (NFKC), prohibit (RFC 3920 B.5), check bidi. Without <paramref name="allowUnassigned"/>
    /// (stringprep's rule for stored strings, §7; "strict" in Prosody) a code point unassigned in
    /// Unicode 3.2 fails too. An empty result fails, as a resource is never empty.
    /// </summary>
    public static bool TryPrepare(string input, bool allowUnassigned, [NotNullWhen(true)] out string? prepared)
    {
        ArgumentNullException.ThrowIfNull(input);
        prepared = null;
        if (IsPrintableAscii(input))
        {
            // Nothing in printable ASCII is mapped, normalised, prohibited or right-to-left.
            prepared = input.Length > 0 ? input : null;
            return prepared is not null;
        }

        if (!TryMap(input, allowUnassigned, out var mapped))
        {
            return false;
        }

        string normalized;
        try
        {
            normalized = mapped.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return false; // .NET refuses to normalise non-characters, which §5 prohibits anyway (C.4)
        }

        if (normalized.Length == 0 || !IsAllowed(normalized))
        {
            return false;
        }

        prepared = normalized;
        return true;
    }

    private static bool IsPrintableAscii(string value) => !value.AsSpan().ContainsAnyExceptInRange(' ', '~');

    /// <summary>§3 mapping, refusing unassigned code points on the way (as ICU, Prosody's stringprep, does).</summary>
    private static bool TryMap(string input, bool allowUnassigned, [NotNullWhen(true)] out string? mapped)
    {
        mapped = null;
        var builder = new StringBuilder(input.Length);
        var index = 0;
        while (index < input.Length)
        {
            if (Rune.DecodeFromUtf16(input.AsSpan(index), out var rune, out var length) != OperationStatus.Done)
            {
                return false; // a lone surrogate
            }

            if (!allowUnassigned && Contains(StringprepTables.Unassigned, rune.Value))
            {
                return false;
            }

            if (!Contains(StringprepTables.MappedToNothing, rune.Value))
            {
                builder.Append(input, index, length);
            }

            index += length;
        }

        mapped = builder.ToString();
        return true;
    }

    /// <summary>
    /// §5 prohibited output and §6 bidi: a string with a right-to-left character (RandALCat) has no
    /// left-to-right one (LCat), and starts and ends with a right-to-left one.
    /// </summary>
    private static bool IsAllowed(string normalized)
    {
        var rightToLeft = false;
        var leftToRight = false;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Contains(StringprepTables.Prohibited, rune.Value))
            {
                return false;
            }

            rightToLeft |= Contains(StringprepTables.RandAL, rune.Value);
            leftToRight |= Contains(StringprepTables.L, rune.Value);
        }

        if (!rightToLeft)
        {
            return true;
        }

        var first = Rune.GetRuneAt(normalized, 0);
        Rune.DecodeLastFromUtf16(normalized, out var last, out _);
        return !leftToRight && Contains(StringprepTables.RandAL, first.Value) && Contains(StringprepTables.RandAL, last.Value);
    }

    /// <summary>Whether the code point lies in one of the table's inclusive ranges (start, end, start, end, …).</summary>
    private static bool Contains(ReadOnlySpan<int> ranges, int value)
    {
        var low = 0;
        var high = (ranges.Length / 2) - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (value < ranges[2 * middle])
            {
                high = middle - 1;
            }
            else if (value > ranges[(2 * middle) + 1])
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
