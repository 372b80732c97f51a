namespace Xmpp.Bench.Net;

/// <summary>String helpers for the few fields of negotiation elements the generator needs.</summary>
internal static class XmlScan
{
    /// <summary>An attribute of the element's start tag (either quote style), or null.</summary>
    public static string? Attribute(string element, string name)
    {
        var tagEnd = element.IndexOf('>', StringComparison.Ordinal);
        var tag = tagEnd < 0 ? element : element[..tagEnd];
        foreach (var quote in new[] { '\'', '"' })
        {
            var key = " " + name + "=" + quote;
            var at = tag.IndexOf(key, StringComparison.Ordinal);
            if (at >= 0)
            {
                var start = at + key.Length;
                var end = tag.IndexOf(quote, start);
                return end < 0 ? null : tag[start..end];
            }
        }

        return null;
    }

    /// <summary>The text between the start tag and the end tag ("" for an empty element).</summary>
    public static string InnerText(string element)
    {
        var start = element.IndexOf('>', StringComparison.Ordinal);
        var end = element.LastIndexOf('<');
        return start < 0 || end <= start ? string.Empty : element[(start + 1)..end];
    }

    /// <summary>The text of the first &lt;name&gt; descendant, or null.</summary>
    public static string? ElementText(string element, string name)
    {
        var open = element.IndexOf("<" + name + ">", StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        var start = open + name.Length + 2;
        var end = element.IndexOf("</" + name + ">", start, StringComparison.Ordinal);
        return end < 0 ? null : element[start..end];
    }
}
