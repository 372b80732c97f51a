using System.Text;
using Xmpp.Protocol.Xml;
using static Xmpp.Protocol.Tests.ParserHarness;

namespace Xmpp.Protocol.Tests;

/// <summary>A network read may end anywhere: every split must parse exactly as one read does.</summary>
public class XmlStreamParserSplitTests
{
    // Everything the state machine has a state for: BOM, declaration, header, prefixes, attributes
    // in both quotes with references, 2/3/4-byte UTF-8 in names, values and text, entities, char
    // refs, CDATA, CR/LF normalization, keepalives, empty and nested elements, the closing tag.
    internal static readonly byte[] Corpus =
    [
        0xEF, 0xBB, 0xBF,
        .. Encoding.UTF8.GetBytes(
            "<?xml version='1.0' encoding='UTF-8'?>"
            + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0' xml:lang='en'>\n"
            + "<message to='jülïet@example.com/balcony' from=\"romeo@example.net/orchard\" type='chat' id='ktx72v49'>"
            + "<body>Art thou not Romeo, and a Montague? é€𝄞 &lt;3 &amp; &#x1F600;&#233;&quot;&apos;&gt;\r\nline\rend</body>"
            + "<thread>e0ffe42b28561960c6b12b944a092794b9683a38</thread>"
            + "<delay xmlns='urn:xmpp:delay' from='capulet.com' stamp='2002-09-10T23:08:25Z'>Offline Storage</delay>"
            + "<x xmlns:p='urn:p' p:attr='a&amp;b&#10;c\td' plain = \"x'y\" ><p:child/><![CDATA[<raw> & ]]]]><日本語 属性='値'/></x>"
            + "</message>  \r\n\t "
            + "<presence from='room@muc.example.com/th€rd'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='member' role='participant'/><status code='110'/></x></presence>"
            + "<iq type='set' id='push1'><query xmlns='jabber:iq:roster'><item jid='nurse@example.com' name='Nurse' subscription='both'><group>Servants</group></item></query></iq>"
            + "\n</stream:stream>\n"),
    ];

    [Fact]
    public void Corpus_parses_to_the_expected_events()
    {
        var events = Parse(Corpus);

        Assert.Equal(5, events.Count);
        var message = Assert.IsType<StanzaReceived>(events[1]).Stanza;
        Assert.Equal("Art thou not Romeo, and a Montague? é€𝄞 <3 & 😀é\"'>\nline\nend", message.ChildText("body", Namespaces.Client));
        var x = message.Child("x", Namespaces.Client)!;
        Assert.Equal("a&b\nc d", x.GetAttribute("attr", "urn:p"));
        Assert.Equal("x'y", x.GetAttribute("plain"));
        Assert.Equal("<raw> & ]]", Assert.IsType<TextNode>(x.Nodes[1]).Value);
        Assert.Equal("値", x.Child("日本語", Namespaces.Client)!.GetAttribute("属性"));
        Assert.IsType<StreamClosed>(events[4]);
    }

    [Fact]
    public void Split_in_two_at_every_byte_position_parses_identically()
    {
        var expected = Describe(Parse(Corpus));

        for (var cut = 0; cut <= Corpus.Length; cut++)
        {
            var actual = Describe(ParseInPieces(Corpus, [cut], new XmlStreamParser()));
            Assert.True(expected == actual, $"split at {cut} differs:\n{actual}");
        }
    }

    [Fact]
    public void Byte_by_byte_parses_identically()
    {
        var expected = Describe(Parse(Corpus));

        var actual = Describe(ParseInPieces(Corpus, Enumerable.Range(1, Corpus.Length - 1), new XmlStreamParser()));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Random_multi_splits_parse_identically()
    {
        var expected = Describe(Parse(Corpus));
        var random = new Random(6120);

        for (var round = 0; round < 300; round++)
        {
            var cuts = Enumerable.Range(0, random.Next(1, 40)).Select(_ => random.Next(0, Corpus.Length + 1)).Order().ToArray();
            var actual = Describe(ParseInPieces(Corpus, cuts, new XmlStreamParser()));
            Assert.True(expected == actual, $"cuts {string.Join(',', cuts)} differ");
        }
    }

    [Fact]
    public void Events_are_reported_as_soon_as_their_last_byte_arrives()
    {
        var parser = new XmlStreamParser();
        var text = Encoding.UTF8.GetBytes(XmlStreamParserTests.Header + "<presence/>");
        var events = new List<StreamEvent>();

        parser.Parse(text.AsSpan(0, text.Length - 1), events);
        Assert.Single(events);
        parser.Parse(text.AsSpan(text.Length - 1), events);
        Assert.Equal(2, events.Count);
    }

    [Theory]
    [InlineData("<message><body>&foo;</body></message>", StreamError.RestrictedXml)]
    [InlineData("<message to='&bar;'/>", StreamError.RestrictedXml)]
    [InlineData("<message><!-- c --></message>", StreamError.RestrictedXml)]
    [InlineData("<message></messag>", StreamError.NotWellFormed)]
    [InlineData("<message><body>&#xD800;</body></message>", StreamError.NotWellFormed)]
    [InlineData("<message a='1' a='2'/>", StreamError.NotWellFormed)]
    [InlineData("<p:message/>", StreamError.BadNamespacePrefix)]
    public void Errors_are_the_same_at_every_split_position(string xml, string condition)
    {
        var bytes = Encoding.UTF8.GetBytes(XmlStreamParserTests.Header + xml);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var e = Assert.Throws<StreamErrorException>(() => ParseInPieces(bytes, [cut], new XmlStreamParser()));
            Assert.Equal(condition, e.Error.Condition);
        }
    }

    [Fact]
    public void Declaration_with_wrong_encoding_is_detected_at_every_split_position()
    {
        var bytes = Encoding.UTF8.GetBytes("<?xml version='1.0' encoding='latin1'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>");
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var e = Assert.Throws<StreamErrorException>(() => ParseInPieces(bytes, [cut], new XmlStreamParser()));
            Assert.Equal(StreamError.UnsupportedEncoding, e.Error.Condition);
        }
    }

    [Fact]
    public void Fragment_stream_split_at_every_position_parses_identically()
    {
        var bytes = Encoding.UTF8.GetBytes(
            "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.com' version='1.0'/>"
            + "<message to='a@b' xmlns='jabber:client'><body>h€llo &amp; 😀</body></message>"
            + "<presence/> \n"
            + "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        var expected = Describe(Parse(bytes, XmlStreamParser.ForFragments()));

        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            Assert.Equal(expected, Describe(ParseInPieces(bytes, [cut], XmlStreamParser.ForFragments())));
        }
    }
}
