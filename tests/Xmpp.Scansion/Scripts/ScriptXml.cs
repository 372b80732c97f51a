using System.Xml;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Scansion.Scripts;

/// <summary>
/// Turns the XML block of an action into stanzas. The block may hold several top-level elements
/// (several stanzas, in order); it is read with the default namespace <c>jabber:client</c> and the
/// <c>scansion:</c> prefix pre-bound, and white-space-only text (the indentation) is dropped.
/// Scripts are trusted input, so <see cref="XmlReader"/> reads them (with DTDs off).
/// </summary>
public static class ScriptXml
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false, // handled below: only white-space-only runs are dropped
        CloseInput = true,
    };

    /// <summary>Parses a block; <paramref name="firstLine"/> is its first line in the script, for error messages.</summary>
    public static IReadOnlyList<Element> ParseBlock(string xml, string script, int firstLine)
    {
        ArgumentNullException.ThrowIfNull(xml);

        // The wrapper sits on the block's first line, so reader line numbers map straight to script lines.
        var wrapped = $"<scansion:block xmlns='{Namespaces.Client}' xmlns:{ScansionNamespace.Prefix}='{ScansionNamespace.Uri}'>{xml}</scansion:block>";
        var stanzas = new List<Element>();
        try
        {
            using var reader = XmlReader.Create(new StringReader(wrapped), Settings);
            reader.MoveToContent();
            if (reader.IsEmptyElement)
            {
                return stanzas;
            }

            reader.Read();
            while (!reader.EOF && reader.NodeType != XmlNodeType.EndElement)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        stanzas.Add(ReadElement(reader));
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        if (!string.IsNullOrWhiteSpace(reader.Value))
                        {
                            throw new ScriptFormatException(script, firstLine + LineOf(reader) - 1, $"text outside any element: '{reader.Value.Trim()}'");
                        }

                        reader.Read();
                        break;
                    default:
                        reader.Read();
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            throw new ScriptFormatException(script, firstLine + e.LineNumber - 1, $"invalid XML: {e.Message}", e);
        }

        return stanzas;
    }

    private static int LineOf(XmlReader reader) => reader is IXmlLineInfo info ? info.LineNumber : 1;

    // Positioned on a start tag; returns with the reader just past the element.
    private static Element ReadElement(XmlReader reader)
    {
        var element = new Element(reader.LocalName, reader.NamespaceURI);
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.NamespaceURI == XmlnsNamespace)
                {
                    continue; // a namespace declaration, already applied to the names
                }

                element.SetAttribute(reader.LocalName, reader.Value, reader.NamespaceURI);
            }
            while (reader.MoveToNextAttribute());

            reader.MoveToElement();
        }

        if (reader.IsEmptyElement)
        {
            reader.Read();
            return element;
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    element.Add(ReadElement(reader));
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    if (!string.IsNullOrWhiteSpace(reader.Value))
                    {
                        element.AddText(reader.Value);
                    }

                    reader.Read();
                    break;
                default:
                    // Whitespace (indentation) and anything else carries no meaning here.
                    reader.Read();
                    break;
            }
        }

        reader.Read(); // the end tag
        return element;
    }
}
