using System.Text;

namespace Xmpp.Protocol.Xml;

/// <summary>XML as a string, for logs, tests, storage and configuration; the wire path writes bytes with <see cref="StanzaWriter"/>.</summary>
public static class XmlText
{
    /// <summary>
    /// The element as XML, as it would appear on a stream whose default namespace is
    /// <paramref name="inheritedNamespace"/> (a stanza in jabber:client gets no xmlns); the
    /// <c>stream</c> prefix is declared where used, so the text parses back on its own.
    /// </summary>
    public static string Serialize(Element element, string inheritedNamespace = Namespaces.Client) =>
        Encoding.UTF8.GetString(Write(element, inheritedNamespace).WrittenSpan);

    /// <summary>As <see cref="Serialize"/>, in UTF-8: the compact form to keep an element in memory for long.</summary>
    public static byte[] SerializeToUtf8(Element element, string inheritedNamespace = Namespaces.Client) =>
        Write(element, inheritedNamespace).WrittenSpan.ToArray();

    private static ArrayBufferWriter<byte> Write(Element element, string inheritedNamespace)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        StanzaWriter.Write(buffer, element, inheritedNamespace, streamPrefixDeclared: false);
        return buffer;
    }

    /// <summary>
    /// Parses exactly one element (surrounding white space allowed); unprefixed elements without
    /// <c>xmlns</c> are in <paramref name="defaultNamespace"/>. Throws <see cref="FormatException"/>
    /// on anything else, with the stream error as inner exception where there is one.
    /// </summary>
    public static Element Parse(string xml, string defaultNamespace = Namespaces.Client, XmlParserLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return Parse(Encoding.UTF8.GetBytes(xml), defaultNamespace, limits);
    }

    /// <summary>As <see cref="Parse(string, string, XmlParserLimits?)"/>, from UTF-8.</summary>
    public static Element Parse(ReadOnlySpan<byte> utf8, string defaultNamespace = Namespaces.Client, XmlParserLimits? limits = null)
    {
        var parser = XmlStreamParser.ForFragments(limits ?? Unlimited, defaultNamespace);
        var events = new List<StreamEvent>(1);
        try
        {
            parser.Parse(utf8, events);
        }
        catch (StreamErrorException e)
        {
            throw new FormatException($"not a valid XMPP element: {e.Error}", e);
        }

        if (!parser.IsAtStanzaBoundary)
        {
            throw new FormatException("not a valid XMPP element: incomplete XML");
        }

        return events switch
        {
            [StanzaReceived received] => received.Stanza,
            [] => throw new FormatException("not a valid XMPP element: no element"),
            _ => throw new FormatException("not a valid XMPP element: more than one element"),
        };
    }

    // Stored and configured XML is trusted more than the network, but still bounded.
    private static readonly XmlParserLimits Unlimited = new(MaxStanzaBytes: int.MaxValue, MaxDepth: 1024, MaxAttributes: 1024);
}
