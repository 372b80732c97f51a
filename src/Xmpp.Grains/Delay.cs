using System.Globalization;

namespace Xmpp.Grains;

/// <summary>XEP-0203 delayed delivery stamps, in XEP-0082 date-time format.</summary>
public static class Delay
{
    public static string FormatStamp(DateTimeOffset when) =>
        when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>&lt;delay xmlns='urn:xmpp:delay' from='…' stamp='…'/&gt;</c></summary>
    public static Element Create(string from, DateTimeOffset when) =>
        new Element("delay", Namespaces.Delay)
            .SetAttribute("from", from)
            .SetAttribute("stamp", FormatStamp(when));
}
