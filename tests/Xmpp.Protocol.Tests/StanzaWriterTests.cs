using System.Text;
using Xmpp.Protocol.Xml;
using static Xmpp.Protocol.Tests.ParserHarness;

namespace Xmpp.Protocol.Tests;

public class StanzaWriterTests
{
    private static string Write(Element element, string inheritedNamespace = Namespaces.Client)
    {
        var buffer = new ArrayBufferWriter<byte>();
        StanzaWriter.Write(buffer, element, inheritedNamespace);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Stanza_in_the_stream_namespace_gets_no_xmlns_and_payloads_declare_theirs()
    {
        var message = new Element("message") { To = "juliet@example.com", Type = "chat" };
        message.AddTextChild("body", Namespaces.Client, "hi");
        message.AddChild("delay", Namespaces.Delay).SetAttribute("stamp", "2002-09-10T23:08:25Z").AddChild("inner", Namespaces.Delay);

        Assert.Equal(
            "<message to='juliet@example.com' type='chat'><body>hi</body><delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:08:25Z'><inner/></delay></message>",
            Write(message));
    }

    [Fact]
    public void Inherited_namespace_other_than_client_is_respected()
    {
        Assert.Equal("<message/>", Write(new Element("message", Namespaces.Server), Namespaces.Server));
        Assert.Equal("<message xmlns='jabber:server'/>", Write(new Element("message", Namespaces.Server)));
    }

    [Fact]
    public void Element_without_namespace_under_a_default_namespace_undeclares_it()
    {
        var a = new Element("a", "urn:a");
        a.AddChild("b", string.Empty);

        Assert.Equal("<a xmlns='urn:a'><b xmlns=''/></a>", Write(a));
    }

    [Fact]
    public void Stream_namespace_elements_use_the_stream_prefix()
    {
        var features = new Element("features", Namespaces.Stream);
        features.AddChild("starttls", Namespaces.Tls).AddChild("required", Namespaces.Tls);
        features.AddChild("ver", Namespaces.RosterVersioning);

        Assert.Equal(
            "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls><ver xmlns='urn:xmpp:features:rosterver'/></stream:features>",
            Write(features));
        Assert.Equal(
            "<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bad</text></stream:error>",
            Write(new StreamError(StreamError.NotWellFormed, "bad").ToElement()));
    }

    [Fact]
    public void Standalone_stream_elements_declare_the_stream_prefix()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var error = new StreamError(StreamError.PolicyViolation).ToElement();

        StanzaWriter.Write(buffer, error, Namespaces.Client, streamPrefixDeclared: false);

        Assert.Equal(
            "<stream:error xmlns:stream='http://etherx.jabber.org/streams'><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Xml_namespace_attributes_use_the_xml_prefix()
    {
        var message = new Element("message") { Lang = "en" };

        Assert.Equal("<message xml:lang='en'/>", Write(message));
    }

    [Fact]
    public void Attributes_in_other_namespaces_get_declared_prefixes_that_parse_back()
    {
        var element = new Element("x", "urn:x");
        element.SetAttribute("a", "1", "urn:p");
        element.SetAttribute("b", "2");
        element.SetAttribute("c", "3", "urn:q");
        element.SetAttribute("d", "4", "urn:p");
        element.AddChild("y", "urn:x").SetAttribute("e", "5", "urn:q");

        var xml = Write(element);

        Assert.Equal("<x xmlns='urn:x' xmlns:ns0='urn:p' ns0:a='1' b='2' xmlns:ns1='urn:q' ns1:c='3' ns0:d='4'><y xmlns:ns0='urn:q' ns0:e='5'/></x>", xml);
        Assert.Equal(Describe(element), Describe(XmlText.Parse(xml)));
    }

    [Fact]
    public void Text_escapes_markup_and_carriage_returns()
    {
        var body = new Element("body").AddText("a & b < c > d ]]> \"q\" 'a' \r\n\t end");

        Assert.Equal("<body>a &amp; b &lt; c &gt; d ]]&gt; \"q\" 'a' &#13;\n\t end</body>", Write(body));
    }

    [Fact]
    public void Attribute_values_escape_quotes_markup_and_white_space_controls()
    {
        var element = new Element("a").SetAttribute("v", "&<>\"'\t\n\r x");

        Assert.Equal("<a v='&amp;&lt;&gt;&quot;&apos;&#9;&#10;&#13; x'/>", Write(element));
    }

    [Fact]
    public void Characters_xml_cannot_carry_are_replaced()
    {
        var element = new Element("a").SetAttribute("v", "x\u0001y\uFFFF").AddText("\u0000z\uFFFE\uD800\uDC00\uDC00|\uD800");

        var xml = Write(element);

        Assert.Equal("<a v='x\uFFFDy\uFFFD'>\uFFFDz\uFFFD\U00010000\uFFFD|\uFFFD</a>", xml);
        XmlText.Parse(xml);
    }

    [Fact]
    public void Non_ascii_text_names_and_values_are_utf8()
    {
        var element = new Element("café", "urn:x").SetAttribute("nom", "Zoë 😀").AddText("日本 𝄞");

        var buffer = new ArrayBufferWriter<byte>();
        StanzaWriter.Write(buffer, element);

        Assert.Equal(Encoding.UTF8.GetBytes("<café xmlns='urn:x' nom='Zoë 😀'>日本 𝄞</café>"), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writing_through_tiny_buffers_gives_the_same_bytes()
    {
        var element = Corpus.Stanzas().First(e => e.Name == "message");
        var text = new Element("body").AddText(string.Concat(Enumerable.Repeat("héllo 😀 & <日本> ", 500)));
        foreach (var e in new[] { element, text })
        {
            var expected = new ArrayBufferWriter<byte>();
            StanzaWriter.Write(expected, e);
            var tiny = new TinyBufferWriter();
            StanzaWriter.Write(tiny, e);
            Assert.Equal(expected.WrittenSpan.ToArray(), tiny.ToArray());
        }
    }

    [Fact]
    public void Stream_header_and_close()
    {
        var header = new Element("stream", Namespaces.Stream) { From = "example.com", Id = "++TR84Sm6A3hnt3Q065SnAbbk3Y=" };
        header.SetAttribute("version", "1.0");
        header.Lang = "en";

        var buffer = new ArrayBufferWriter<byte>();
        StanzaWriter.WriteStreamHeader(buffer, header);
        StanzaWriter.WriteStreamClose(buffer);

        Assert.Equal(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.com' id='++TR84Sm6A3hnt3Q065SnAbbk3Y=' version='1.0' xml:lang='en'></stream:stream>",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Written_stream_header_parses_back_with_its_default_namespace()
    {
        var header = new Element("stream", Namespaces.Stream) { To = "example.net" };
        var buffer = new ArrayBufferWriter<byte>();
        StanzaWriter.WriteStreamHeader(buffer, header, Namespaces.Server);
        StanzaWriter.Write(buffer, new Element("features", Namespaces.Stream), Namespaces.Server);
        StanzaWriter.Write(buffer, new Element("message", Namespaces.Server), Namespaces.Server);
        StanzaWriter.WriteStreamClose(buffer);

        var events = Parse(buffer.WrittenSpan.ToArray());

        var opened = Assert.IsType<StreamOpened>(events[0]);
        Assert.Equal(Namespaces.Server, opened.DefaultNamespace);
        Assert.Equal("example.net", opened.Header.To);
        Assert.True(Assert.IsType<StanzaReceived>(events[1]).Stanza.Is("features", Namespaces.Stream));
        Assert.True(Assert.IsType<StanzaReceived>(events[2]).Stanza.Is("message", Namespaces.Server));
        Assert.IsType<StreamClosed>(events[3]);
    }

    [Fact]
    public void Nasty_text_and_attribute_values_survive_a_round_trip()
    {
        string[] values =
        [
            "", " ", "  leading and trailing  ", "&amp;", "&lt;script&gt;", "<![CDATA[x]]>", "]]>", "'\"'\"",
            "\r", "\r\n", "\n\r", "\t\t", "a\rb\nc\r\nd", "😀", "\U0010FFFD", "\uFFFD", "&#x41;", "</message>", "<!-- no -->",
        ];
        foreach (var value in values)
        {
            var element = new Element("message").SetAttribute("v", value).AddText(value);
            element.AddChild("empty", Namespaces.Client).AddText(value);
            if (value.Length == 0)
            {
                continue; // an empty text node is not written, so it cannot come back
            }

            var parsed = XmlText.Parse(XmlText.Serialize(element));

            Assert.Equal(value, parsed.GetAttribute("v"));
            Assert.Equal(value, parsed.Text);
            Assert.Equal(value, parsed.ChildText("empty", Namespaces.Client));
        }
    }

    [Fact]
    public void Corpus_round_trips_parse_write_parse()
    {
        foreach (var stanza in Corpus.Stanzas())
        {
            var written = XmlText.Serialize(stanza);
            var again = XmlText.Parse(written);

            Assert.Equal(Describe(stanza), Describe(again));
            Assert.Equal(written, XmlText.Serialize(again));
        }
    }

    [Fact]
    public void Corpus_written_on_a_stream_parses_to_equal_stanzas()
    {
        var stanzas = Corpus.Stanzas().ToList();
        var buffer = new ArrayBufferWriter<byte>();
        StanzaWriter.WriteStreamHeader(buffer, new Element("stream", Namespaces.Stream) { To = "example.com" });
        foreach (var stanza in stanzas)
        {
            StanzaWriter.Write(buffer, stanza);
        }

        var events = Parse(buffer.WrittenSpan.ToArray());

        Assert.Equal(stanzas.Count + 1, events.Count);
        for (var i = 0; i < stanzas.Count; i++)
        {
            Assert.Equal(Describe(stanzas[i]), Describe(Assert.IsType<StanzaReceived>(events[i + 1]).Stanza));
        }
    }

    /// <summary>Hands out spans of exactly the requested size (at least one byte), to exercise every buffer boundary.</summary>
    private sealed class TinyBufferWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => [.. _written];
    }
}
