using System.Text;
using Xmpp.Protocol.Xml;

namespace Xmpp.Protocol.Tests;

/// <summary>Feeds XML to a parser whole, byte by byte, or split at chosen positions, and collects events.</summary>
internal static class ParserHarness
{
    public static List<StreamEvent> Parse(string xml, XmlStreamParser? parser = null) => Parse(Encoding.UTF8.GetBytes(xml), parser);

    public static List<StreamEvent> Parse(byte[] bytes, XmlStreamParser? parser = null)
    {
        parser ??= new XmlStreamParser();
        var events = new List<StreamEvent>();
        parser.Parse(bytes, events);
        return events;
    }

    public static List<StreamEvent> ParseInPieces(byte[] bytes, IEnumerable<int> cuts, XmlStreamParser parser)
    {
        var events = new List<StreamEvent>();
        var start = 0;
        foreach (var cut in cuts)
        {
            parser.Parse(bytes.AsSpan(start, cut - start), events);
            start = cut;
        }

        parser.Parse(bytes.AsSpan(start), events);
        return events;
    }

    public static StreamError ParseError(string xml, XmlStreamParser? parser = null) => ParseError(Encoding.UTF8.GetBytes(xml), parser);

    public static StreamError ParseError(byte[] bytes, XmlStreamParser? parser = null)
    {
        parser ??= new XmlStreamParser();
        var e = Assert.Throws<StreamErrorException>(() => parser.Parse(bytes, []));
        return e.Error;
    }

    /// <summary>A canonical text form of events, for comparing two parses (includes namespaces and text nodes).</summary>
    public static string Describe(IEnumerable<StreamEvent> events)
    {
        var builder = new StringBuilder();
        foreach (var e in events)
        {
            switch (e)
            {
                case StreamOpened opened:
                    builder.Append("OPEN[").Append(opened.DefaultNamespace).Append(']');
                    Describe(builder, opened.Header);
                    break;
                case StanzaReceived received:
                    builder.Append("STANZA");
                    Describe(builder, received.Stanza);
                    break;
                case StreamClosed:
                    builder.Append("CLOSE");
                    break;
            }

            builder.Append('\n');
        }

        return builder.ToString();
    }

    public static string Describe(Element element)
    {
        var builder = new StringBuilder();
        Describe(builder, element);
        return builder.ToString();
    }

    private static void Describe(StringBuilder builder, Element element)
    {
        builder.Append('{').Append(element.Namespace).Append('}').Append(element.Name).Append('(');
        foreach (var a in element.Attributes)
        {
            builder.Append('{').Append(a.Namespace).Append('}').Append(a.Name).Append('=').Append(Escape(a.Value)).Append(';');
        }

        builder.Append(')').Append('[');
        foreach (var node in element.Nodes)
        {
            if (node is TextNode text)
            {
                builder.Append('"').Append(Escape(text.Value)).Append('"');
            }
            else
            {
                Describe(builder, (Element)node);
            }

            builder.Append(',');
        }

        builder.Append(']');
    }

    private static string Escape(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value)
        {
            if (c < ' ' || c > '~' || c is '"' or '\\' or ';' or ',')
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
