using System.Globalization;

namespace Xmpp.Grains;

/// <summary>XEP-0203 delayed delivery stamps, in XEP-0082 date-time format.</summary>
public static class Delay
{
    public static string FormatStamp(DateTimeOffset when) =>
        when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>&lt;delay xmlns='urn:xmpp:delay' from='…' stamp='…'/&gt;</c>; without 'from' when it is null (an archive's result is its own evidence).</summary>
    public static Element Create(string? from, DateTimeOffset when) =>
        new Element("delay", Namespaces.Delay)
            .SetAttribute("from", from)
            .SetAttribute("stamp", FormatStamp(when));

    /// <summary>
    /// Stamps the stanza as delayed by <paramref name="from"/>, unless it already carries that
    /// entity's stamp (a stored message that went out, was not delivered and was stored again keeps
    /// its first, truer stamp; XEP-0203 §3: one delay element per entity).
    /// </summary>
    public static void Stamp(Element stanza, string from, DateTimeOffset when)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        if (!stanza.Elements("delay", Namespaces.Delay).Any(d => d.GetAttribute("from") == from))
        {
            stanza.Add(Create(from, when));
        }
    }
}
