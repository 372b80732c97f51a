using System.Globalization;
using System.Text;

namespace Xmpp.Storage.AzureTables;

/// <summary>
/// Keys as Azure Tables allows them: PartitionKey and RowKey may not hold '/', '\', '#', '?' or
/// control characters, so those — and '%', the escape itself, and '|' and '~', which this store
/// uses as separators — are written as %XX (all are below U+0100). Everything else stays as it is,
/// so keys remain readable in the table.
/// </summary>
internal static class TableKeys
{
    public static string Escape(string value)
    {
        StringBuilder? escaped = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (NeedsEscape(c))
            {
                escaped ??= new StringBuilder(value, 0, i, value.Length + 8);
                escaped.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped?.Append(c);
            }
        }

        return escaped?.ToString() ?? value;
    }

    public static string Unescape(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var plain = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length)
            {
                plain.Append((char)int.Parse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                plain.Append(value[i]);
            }
        }

        return plain.ToString();
    }

    private static bool NeedsEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '%' or '|' or '~' || char.IsControl(c);
}
