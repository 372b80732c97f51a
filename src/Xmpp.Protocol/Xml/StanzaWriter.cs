using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Xmpp.Protocol.Xml;

/// <summary>
/// Writes elements as UTF-8 XML straight into an <see cref="IBufferWriter{T}"/> (a connection's
/// output pipe), transcoding each string once without intermediate strings.
/// <para>
/// Namespaces are written as XMPP peers expect (RFC 6120 §11.2): an element gets <c>xmlns='…'</c>
/// only where its namespace differs from its parent's default; elements in
/// <see cref="Namespaces.Stream"/> use the <c>stream:</c> prefix; attributes in
/// <see cref="Namespaces.Xml"/> are <c>xml:…</c>; attributes in other namespaces get a prefix
/// declared on their element. Text escapes <c>&amp; &lt; &gt;</c> (and CR, so that it survives
/// line-end normalization); attribute values escape <c>&amp; &lt; &gt; " '</c> and TAB, LF, CR
/// (which attribute-value normalization would turn into spaces). Characters that XML cannot
/// carry (C0 controls, U+FFFE, U+FFFF, lone surrogates) are written as U+FFFD.
/// </para>
/// </summary>
public static class StanzaWriter
{
    private const int MaxDepth = 1024;

    private static readonly SearchValues<char> TextEscapes = SearchValues.Create(Controls() + "&<>\r\uFFFE\uFFFF");
    private static readonly SearchValues<char> AttributeEscapes = SearchValues.Create(Controls() + "&<>\"'\t\n\r\uFFFE\uFFFF");

    /// <summary>
    /// Writes <paramref name="element"/> as it is sent inside an XML stream whose default namespace
    /// is <paramref name="inheritedNamespace"/> and whose header declared the <c>stream</c> prefix
    /// (so a <c>&lt;message/&gt;</c> on a c2s stream carries no <c>xmlns</c>).
    /// </summary>
    public static void Write(IBufferWriter<byte> output, Element element, string inheritedNamespace = Namespaces.Client) =>
        Write(output, element, inheritedNamespace, streamPrefixDeclared: true);

    /// <summary>
    /// As <see cref="Write(IBufferWriter{byte}, Element, string)"/>; with <paramref name="streamPrefixDeclared"/>
    /// false the <c>stream</c> prefix is declared where used, for XML that stands alone (WebSocket
    /// frames, RFC 7395 §3.4; logs; storage).
    /// </summary>
    public static void Write(IBufferWriter<byte> output, Element element, string inheritedNamespace, bool streamPrefixDeclared)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(inheritedNamespace);
        var writer = new Utf8Output(output);
        WriteElement(ref writer, element, inheritedNamespace, streamPrefixDeclared, 0);
        writer.Commit();
    }

    /// <summary>
    /// The stream header (RFC 6120 §4.7): <c>&lt;?xml version='1.0'?&gt;&lt;stream:stream xmlns='…'
    /// xmlns:stream='http://etherx.jabber.org/streams' …&gt;</c>, left open. The attributes are the
    /// header's (to, from, id, version, xml:lang).
    /// </summary>
    public static void WriteStreamHeader(IBufferWriter<byte> output, Element header, string defaultNamespace = Namespaces.Client)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(defaultNamespace);
        var writer = new Utf8Output(output);
        writer.WriteLiteral("<?xml version='1.0'?><stream:stream xmlns='"u8);
        writer.WriteEscaped(defaultNamespace, AttributeEscapes);
        writer.WriteLiteral("' xmlns:stream='http://etherx.jabber.org/streams'"u8);
        WriteAttributes(ref writer, header, streamPrefixDeclared: true);
        writer.WriteByte((byte)'>');
        writer.Commit();
    }

    /// <summary>The end of the stream: <c>&lt;/stream:stream&gt;</c> (RFC 6120 §4.4).</summary>
    public static void WriteStreamClose(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new Utf8Output(output);
        writer.WriteLiteral("</stream:stream>"u8);
        writer.Commit();
    }

    private static void WriteElement(ref Utf8Output writer, Element element, string defaultNamespace, bool streamPrefixDeclared, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException("element nesting is too deep to serialize");
        }

        var streamPrefixed = element.Namespace == Namespaces.Stream;
        writer.WriteByte((byte)'<');
        if (streamPrefixed)
        {
            writer.WriteLiteral("stream:"u8);
        }

        writer.WriteName(element.Name);
        if (streamPrefixed)
        {
            if (!streamPrefixDeclared)
            {
                writer.WriteLiteral(" xmlns:stream='http://etherx.jabber.org/streams'"u8);
                streamPrefixDeclared = true;
            }
        }
        else if (!string.Equals(element.Namespace, defaultNamespace, StringComparison.Ordinal))
        {
            writer.WriteLiteral(" xmlns='"u8);
            writer.WriteEscaped(element.Namespace, AttributeEscapes);
            writer.WriteByte((byte)'\'');
            defaultNamespace = element.Namespace;
        }

        WriteAttributes(ref writer, element, streamPrefixDeclared);

        var nodes = element.Nodes;
        if (nodes.Count == 0)
        {
            writer.WriteLiteral("/>"u8);
            return;
        }

        writer.WriteByte((byte)'>');

        // Indexed, not foreach: enumerating the IReadOnlyList would box its enumerator per element.
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node is TextNode text)
            {
                writer.WriteEscaped(text.Value, TextEscapes);
            }
            else
            {
                WriteElement(ref writer, (Element)node, defaultNamespace, streamPrefixDeclared, depth + 1);
            }
        }

        writer.WriteLiteral("</"u8);
        if (streamPrefixed)
        {
            writer.WriteLiteral("stream:"u8);
        }

        writer.WriteName(element.Name);
        writer.WriteByte((byte)'>');
    }

    private static void WriteAttributes(ref Utf8Output writer, Element element, bool streamPrefixDeclared)
    {
        var attributes = element.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            var attribute = attributes[i];
            writer.WriteByte((byte)' ');
            if (attribute.Namespace.Length == 0)
            {
                // Unqualified: the common case.
            }
            else if (attribute.Namespace == Namespaces.Xml)
            {
                writer.WriteLiteral("xml:"u8);
            }
            else if (attribute.Namespace == Namespaces.Stream && streamPrefixDeclared)
            {
                writer.WriteLiteral("stream:"u8);
            }
            else
            {
                // A prefix per distinct namespace on this element: declared with its first use.
                var index = PrefixIndex(attributes, i, out var declared);
                if (!declared)
                {
                    writer.WriteLiteral("xmlns:ns"u8);
                    writer.WriteInt(index);
                    writer.WriteLiteral("='"u8);
                    writer.WriteEscaped(attribute.Namespace, AttributeEscapes);
                    writer.WriteLiteral("' "u8);
                }

                writer.WriteLiteral("ns"u8);
                writer.WriteInt(index);
                writer.WriteByte((byte)':');
            }

            writer.WriteName(attribute.Name);
            writer.WriteLiteral("='"u8);
            writer.WriteEscaped(attribute.Value, AttributeEscapes);
            writer.WriteByte((byte)'\'');
        }
    }

    /// <summary>The generated prefix number of attribute <paramref name="at"/>'s namespace, and whether an earlier attribute declared it.</summary>
    private static int PrefixIndex(IReadOnlyList<XmlAttribute> attributes, int at, out bool declared)
    {
        var ns = attributes[at].Namespace;
        var index = 0;
        for (var i = 0; i < at; i++)
        {
            var other = attributes[i].Namespace;
            if (!NeedsGeneratedPrefix(other))
            {
                continue;
            }

            // Count each distinct namespace once, at its first occurrence.
            var first = true;
            for (var j = 0; j < i; j++)
            {
                if (attributes[j].Namespace == other)
                {
                    first = false;
                    break;
                }
            }

            if (!first)
            {
                continue;
            }

            if (other == ns)
            {
                declared = true;
                return index;
            }

            index++;
        }

        declared = false;
        return index;
    }

    // Stream-namespace attributes use the stream prefix where it is declared; the rare standalone
    // case numbers them with the rest, which is still correct XML.
    private static bool NeedsGeneratedPrefix(string ns) => ns.Length > 0 && ns != Namespaces.Xml;

    private static string Controls()
    {
        var chars = new char[29];
        var n = 0;
        for (var c = '\0'; c < ' '; c++)
        {
            if (c is not ('\t' or '\n' or '\r'))
            {
                chars[n++] = c;
            }
        }

        return new string(chars, 0, n);
    }

    /// <summary>A cursor over the writer's current span: one Advance per buffer, not per token.</summary>
    private ref struct Utf8Output
    {
        private readonly IBufferWriter<byte> _output;
        private Span<byte> _span;
        private int _position;

        public Utf8Output(IBufferWriter<byte> output)
        {
            _output = output;
            _span = output.GetSpan(256);
            _position = 0;
        }

        public void Commit()
        {
            _output.Advance(_position);
            _span = default;
            _position = 0;
        }

        public void WriteByte(byte value)
        {
            if (_position == _span.Length)
            {
                Grow(1);
            }

            _span[_position++] = value;
        }

        public void WriteLiteral(ReadOnlySpan<byte> bytes)
        {
            if (_span.Length - _position < bytes.Length)
            {
                Grow(bytes.Length);
            }

            bytes.CopyTo(_span[_position..]);
            _position += bytes.Length;
        }

        public void WriteInt(int value)
        {
            if (_span.Length - _position < 11)
            {
                Grow(11);
            }

            value.TryFormat(_span[_position..], out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            _position += written;
        }

        /// <summary>A name: no escaping (names come from the model, which holds valid NCNames).</summary>
        public void WriteName(string name) => WriteChars(name);

        /// <summary>Writes text, replacing each character of <paramref name="escapes"/> by its escape.</summary>
        public void WriteEscaped(ReadOnlySpan<char> text, SearchValues<char> escapes)
        {
            while (!text.IsEmpty)
            {
                var i = text.IndexOfAny(escapes);
                if (i < 0)
                {
                    WriteChars(text);
                    return;
                }

                WriteChars(text[..i]);
                WriteEscape(text[i]);
                text = text[(i + 1)..];
            }
        }

        private void WriteEscape(char c)
        {
            switch (c)
            {
                case '&':
                    WriteLiteral("&amp;"u8);
                    break;
                case '<':
                    WriteLiteral("&lt;"u8);
                    break;
                case '>':
                    WriteLiteral("&gt;"u8);
                    break;
                case '"':
                    WriteLiteral("&quot;"u8);
                    break;
                case '\'':
                    WriteLiteral("&apos;"u8);
                    break;
                case '\t':
                    WriteLiteral("&#9;"u8);
                    break;
                case '\n':
                    WriteLiteral("&#10;"u8);
                    break;
                case '\r':
                    WriteLiteral("&#13;"u8);
                    break;
                default:
                    // Not an XML Char (§2.2): cannot be sent, not even as a reference.
                    WriteLiteral("\uFFFD"u8);
                    break;
            }
        }

        /// <summary>UTF-16 to UTF-8 into the span; lone surrogates become U+FFFD.</summary>
        private void WriteChars(ReadOnlySpan<char> chars)
        {
            while (!chars.IsEmpty)
            {
                var status = Utf8.FromUtf16(chars, _span[_position..], out var read, out var written, replaceInvalidSequences: true, isFinalBlock: true);
                _position += written;
                if (status == OperationStatus.Done)
                {
                    return;
                }

                chars = chars[read..];
                Grow(Math.Min(chars.Length, 4096) * 3);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Grow(int needed)
        {
            _output.Advance(_position);
            _position = 0;
            _span = _output.GetSpan(Math.Max(needed, 256));
        }
    }
}
