using System.Globalization;

namespace Xmpp.Grains.Server;

/// <summary>A service as announced at one moment (XEP-0215 §4), credentials made.</summary>
public sealed record ExternalService(
    string Type,
    string? Transport,
    string Host,
    int? Port,
    string? Username,
    string? Password,
    DateTimeOffset? Expires,
    bool Restricted)
{
    /// <summary>The <c>&lt;service/&gt;</c> element, attributes in the order of Prosody's services_xml.</summary>
    public Element ToElement(string ns) =>
        new Element("service", ns)
            .SetAttribute("type", Type)
            .SetAttribute("transport", Transport)
            .SetAttribute("host", Host)
            .SetAttribute("port", Port?.ToString(CultureInfo.InvariantCulture))
            .SetAttribute("username", Username)
            .SetAttribute("password", Password)
            .SetAttribute("expires", Expires is { } expires ? Delay.FormatStamp(expires) : null)
            .SetAttribute("restricted", Restricted ? "1" : null);
}
