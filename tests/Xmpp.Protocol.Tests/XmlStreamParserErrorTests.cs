using System.Text;
using Xmpp.Protocol.Xml;
using static Xmpp.Protocol.Tests.ParserHarness;

namespace Xmpp.Protocol.Tests;

public class XmlStreamParserErrorTests
{
    private const string Header = XmlStreamParserTests.Header;

    [Theory]
    [InlineData("<!-- comment -->")]
    [InlineData("<message><!-- comment --></message>")]
    [InlineData("<message><body>a<!--x--></body></message>")]
    [InlineData("<?foo bar?>")]
    [InlineData("<message><?foo bar?></message>")]
    [InlineData("<?xml version='1.0'?>")]
    [InlineData("<message><body>&foo;</body></message>")]
    [InlineData("<message to='&foo;'/>")]
    [InlineData("<message><body>&ent-ity.x;</body></message>")]
    [InlineData("<message><body>&a:b;</body></message>")]
    [InlineData("<!DOCTYPE stream>")]
    [InlineData("<message><!ENTITY x 'y'></message>")]
    public void Restricted_xml_inside_a_stream(string xml)
    {
        Assert.Equal(StreamError.RestrictedXml, ParseError(Header + xml).Condition);
    }

    [Theory]
    [InlineData("<!DOCTYPE stream:stream [<!ENTITY x 'y'>]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")]
    [InlineData("<!DOCTYPE stream:stream SYSTEM 'http://example.com/x.dtd'>")]
    [InlineData("<!-- hello --><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")]
    [InlineData("<?xml-stylesheet href='x'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")]
    [InlineData("<?xml version='1.0'?><?foo?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")]
    [InlineData(" <?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")]
    [InlineData("<?php echo 1 ?>")]
    public void Restricted_xml_before_the_stream_header(string xml)
    {
        Assert.Equal(StreamError.RestrictedXml, ParseError(xml).Condition);
    }

    [Theory]
    [InlineData("<?xml version='1.0' encoding='ISO-8859-1'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")]
    [InlineData("<?xml version='1.0' encoding='UTF-16'?>")]
    public void Declared_encoding_other_than_utf8_is_unsupported_encoding(string xml)
    {
        Assert.Equal(StreamError.UnsupportedEncoding, ParseError(xml).Condition);
    }

    [Fact]
    public void Utf16_input_is_unsupported_encoding()
    {
        Assert.Equal(StreamError.UnsupportedEncoding, ParseError(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("<stream:stream>")).ToArray()).Condition);
        Assert.Equal(StreamError.UnsupportedEncoding, ParseError(Encoding.BigEndianUnicode.GetBytes("<stream:stream>")).Condition);
    }

    [Theory]
    [InlineData("<?xml?>")]
    [InlineData("<?xml encoding='UTF-8'?>")]
    [InlineData("<?xml version='2.0'?>")]
    [InlineData("<?xml version='1.0' standalone='maybe'?>")]
    [InlineData("<?xml version='1.0' encoding='UTF-8' version='1.0'?>")]
    [InlineData("<?xml version='1.0'>")]
    [InlineData("<?xml version='1.0\"?>")]
    [InlineData("<?xml version='1.0'encoding='UTF-8'?>")]
    public void Malformed_xml_declaration_is_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(xml).Condition);
    }

    public static TheoryData<byte[]> InvalidUtf8 => new()
    {
        new byte[] { 0xFF },
        new byte[] { 0xFE, 0x41 },
        new byte[] { 0x80 },                   // lone continuation byte
        new byte[] { 0xC3 },                   // truncated before '<'
        new byte[] { 0xE2, 0x82 },             // truncated 3-byte sequence
        new byte[] { 0xC3, 0x41 },             // lead without continuation
        new byte[] { 0xC0, 0xAF },             // overlong '/'
        new byte[] { 0xC1, 0xBF },             // overlong
        new byte[] { 0xE0, 0x80, 0xAF },       // overlong 3-byte
        new byte[] { 0xF0, 0x80, 0x80, 0xAF }, // overlong 4-byte
        new byte[] { 0xED, 0xA0, 0x80 },       // UTF-16 surrogate D800
        new byte[] { 0xED, 0xBF, 0xBF },       // surrogate DFFF
        new byte[] { 0xF4, 0x90, 0x80, 0x80 }, // above U+10FFFF
        new byte[] { 0xF8, 0x88, 0x80, 0x80, 0x80 },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Invalid_utf8_in_text_is_not_well_formed(byte[] sequence)
    {
        var bytes = Concat(Header + "<message><body>a", sequence, "b</body></message>");

        Assert.Equal(StreamError.NotWellFormed, ParseError(bytes).Condition);
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Invalid_utf8_in_attribute_values_is_not_well_formed(byte[] sequence)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Concat(Header + "<message id='a", sequence, "'/>")).Condition);
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Invalid_utf8_in_names_is_not_well_formed(byte[] sequence)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Concat(Header + "<a", sequence, "b/>")).Condition);
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Invalid_utf8_at_every_split_position_is_not_well_formed(byte[] sequence)
    {
        var bytes = Concat(Header + "<message><body>a", sequence, "b</body></message>");
        for (var cut = Header.Length; cut < bytes.Length; cut++)
        {
            var parser = new XmlStreamParser();
            parser.Parse(bytes.AsSpan(0, Header.Length), []);
            var e = Assert.Throws<StreamErrorException>(() =>
            {
                parser.Parse(bytes.AsSpan(Header.Length, cut - Header.Length), []);
                parser.Parse(bytes.AsSpan(cut), []);
            });
            Assert.Equal(StreamError.NotWellFormed, e.Error.Condition);
        }
    }

    [Theory]
    [InlineData("<message><body>a\u0001b</body></message>")]
    [InlineData("<message><body>\u0000</body></message>")]
    [InlineData("<message><body>\u001F</body></message>")]
    [InlineData("<message><body>\u000B</body></message>")]
    [InlineData("<message id='\u0008'/>")]
    [InlineData("<message><body>\uFFFE</body></message>")]
    [InlineData("<message id='\uFFFF'/>")]
    [InlineData("<message><![CDATA[\u0002]]></message>")]
    public void Characters_outside_xml_Char_are_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + xml).Condition);
    }

    [Theory]
    [InlineData("&#0;")]
    [InlineData("&#x0;")]
    [InlineData("&#1;")]
    [InlineData("&#x1F;")]
    [InlineData("&#xD800;")]
    [InlineData("&#xDFFF;")]
    [InlineData("&#xFFFE;")]
    [InlineData("&#xFFFF;")]
    [InlineData("&#x110000;")]
    [InlineData("&#99999999999999999999;")]
    [InlineData("&#;")]
    [InlineData("&#x;")]
    [InlineData("&#xZZ;")]
    [InlineData("&#12a;")]
    [InlineData("&#X41;")]
    [InlineData("&;")]
    [InlineData("&1abc;")]
    [InlineData("& amp;")]
    [InlineData("&amp")]
    [InlineData("&lt<x/>;")]
    public void Invalid_references_are_not_well_formed(string reference)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + "<message><body>" + reference + "</body></message>").Condition);
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + "<message id='" + reference + "'/>").Condition);
    }

    [Theory]
    [InlineData("<a></b>")]
    [InlineData("<a><b></a></b>")]
    [InlineData("<message><body></message>")]
    [InlineData("<p:a xmlns:p='urn:p' xmlns:q='urn:p'></q:a>")] // same namespace, different QName
    [InlineData("<a></a >x")]
    [InlineData("<a></ a>")]
    [InlineData("<a></a b>")]
    [InlineData("</a>")]
    [InlineData("</stream:foo>")]
    public void Mismatched_or_malformed_tags_are_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + xml).Condition);
    }

    [Theory]
    [InlineData("<1a/>")]
    [InlineData("<-a/>")]
    [InlineData("<.a/>")]
    [InlineData("<a:b:c xmlns:a='urn:a'/>")]
    [InlineData("<:a/>")]
    [InlineData("<a:/>")]
    [InlineData("< a/>")]
    [InlineData("<>")]
    [InlineData("<a×b/>")]
    [InlineData("<a 1b='x'/>")]
    [InlineData("<a b:='x'/>")]
    [InlineData("<a\u00B7/>x")]
    [InlineData("<\u00B7a/>")]
    [InlineData("<a\u2028/>")]
    public void Bad_names_are_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + xml).Condition);
    }

    [Theory]
    [InlineData("<a b='1' b='2'/>")]
    [InlineData("<a b='1' c='3' b='2'/>")]
    [InlineData("<a xmlns:p='urn:x' xmlns:q='urn:x' p:b='1' q:b='2'/>")]
    [InlineData("<a xmlns='urn:a' xmlns='urn:b'/>")]
    [InlineData("<a xmlns:p='urn:a' xmlns:p='urn:b'/>")]
    [InlineData("<a xml:lang='en' xml:lang='de'/>")]
    [InlineData("<a a1='1' a2='1' a3='1' a4='1' a5='1' a6='1' a7='1' a8='1' a9='1' a1='1'/>")]
    [InlineData("<a xmlns:p='urn:x' xmlns:q='urn:x' a1='1' a2='1' a3='1' a4='1' a5='1' a6='1' a7='1' p:b='1' q:b='2'/>")]
    public void Duplicate_attributes_are_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + xml).Condition);
    }

    [Theory]
    [InlineData("<a b='<'/>")]
    [InlineData("<a b=\"x<y\"/>")]
    [InlineData("<a b=c/>")]
    [InlineData("<a b/>")]
    [InlineData("<a b='1'c='2'/>")]
    [InlineData("<a b='1'/ >")]
    [InlineData("<a/ >")]
    [InlineData("<a b='1' / >")]
    [InlineData("<a 'b'/>")]
    [InlineData("<a =''/>")]
    public void Malformed_attributes_are_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + xml).Condition);
    }

    [Theory]
    [InlineData("<a xmlns:p=''/>")]
    [InlineData("<a xmlns:xmlns='urn:x'/>")]
    [InlineData("<a xmlns:xml='urn:x'/>")]
    [InlineData("<a xmlns:p='http://www.w3.org/XML/1998/namespace'/>")]
    [InlineData("<a xmlns='http://www.w3.org/XML/1998/namespace'/>")]
    [InlineData("<a xmlns:p='http://www.w3.org/2000/xmlns/'/>")]
    public void Illegal_namespace_declarations_are_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + xml).Condition);
    }

    [Fact]
    public void Binding_the_xml_prefix_to_its_own_namespace_is_allowed()
    {
        var stanza = XmlStreamParserTests.SingleStanza("<a xmlns:xml='http://www.w3.org/XML/1998/namespace' xml:lang='en'/>");

        Assert.Equal("en", stanza.Lang);
    }

    [Theory]
    [InlineData("<p:a/>")]
    [InlineData("<message><p:a/></message>")]
    [InlineData("<a p:b='1'/>")]
    [InlineData("<a xmlns:q='urn:q' p:b='1'/>")]
    [InlineData("<a><b xmlns:p='urn:p'/><p:c/></a>")]
    public void Unbound_prefixes_are_bad_namespace_prefix(string xml)
    {
        Assert.Equal(StreamError.BadNamespacePrefix, ParseError(Header + xml).Condition);
    }

    [Fact]
    public void Unbound_stream_prefix_on_the_header_is_bad_namespace_prefix()
    {
        Assert.Equal(StreamError.BadNamespacePrefix, ParseError("<stream:stream xmlns='jabber:client'>").Condition);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("&amp;")]
    [InlineData("<![CDATA[x]]>")]
    [InlineData("<presence/>x")]
    public void Text_outside_stanzas_is_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + xml).Condition);
    }

    [Theory]
    [InlineData("x<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")]
    [InlineData("\uFEFF<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")] // a BOM after white space is text
    public void Text_before_the_stream_header_is_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(" " + xml).Condition);
    }

    [Theory]
    [InlineData("</stream:stream>x")]
    [InlineData("</stream:stream> &amp;")]
    [InlineData("</stream:stream><![CDATA[x]]>")]
    public void Text_after_the_stream_closed_is_not_well_formed(string xml)
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + xml).Condition);
        Assert.Equal(StreamError.NotWellFormed, ParseError(xml.Replace("</stream:stream>", "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'/>", StringComparison.Ordinal)).Condition);
    }

    [Fact]
    public void Content_after_the_stream_closed_is_not_well_formed()
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + "</stream:stream><presence/>").Condition);
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + "</stream:stream></stream:stream>").Condition);
    }

    [Fact]
    public void Cdata_markup_must_be_exact()
    {
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + "<a><![CDAT[x]]></a>").Condition);
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + "<a><![cdata[x]]></a>").Condition);
    }

    [Fact]
    public void Stanza_over_the_size_limit_fails_as_soon_as_the_limit_is_crossed()
    {
        var parser = new XmlStreamParser(new XmlParserLimits(MaxStanzaBytes: 262144));
        parser.Parse(Encoding.UTF8.GetBytes(Header + "<presence/>"), []);
        parser.Parse("<message><body>"u8, []);

        var chunk = new byte[16384];
        chunk.AsSpan().Fill((byte)'a');
        var fed = 15;
        var error = Assert.Throws<StreamErrorException>(() =>
        {
            while (fed < 10 * 1024 * 1024)
            {
                parser.Parse(chunk, []);
                fed += chunk.Length;
            }
        });

        Assert.Equal(StreamError.PolicyViolation, error.Error.Condition);
        Assert.InRange(fed, 262144 - chunk.Length, 262144);
    }

    [Fact]
    public void Ten_megabyte_stanza_in_one_read_fails_without_buffering_it()
    {
        var bytes = new byte[10 * 1024 * 1024];
        bytes.AsSpan().Fill((byte)'a');
        "<message><body>"u8.CopyTo(bytes);
        var parser = new XmlStreamParser();
        parser.Parse(Encoding.UTF8.GetBytes(Header), []);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<StreamErrorException>(() => parser.Parse(bytes, []));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(StreamError.PolicyViolation, error.Error.Condition);
        Assert.True(allocated < 3 * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Huge_attribute_value_and_huge_name_hit_the_size_limit()
    {
        var limits = new XmlParserLimits(MaxStanzaBytes: 1000);
        Assert.Equal(StreamError.PolicyViolation, ParseError(Header + "<a b='" + new string('x', 2000) + "'/>", new XmlStreamParser(limits)).Condition);
        Assert.Equal(StreamError.PolicyViolation, ParseError(Header + "<a" + new string('x', 2000) + "/>", new XmlStreamParser(limits)).Condition);
        Assert.Equal(StreamError.PolicyViolation, ParseError(Header + "<a>" + new string('x', 2000), new XmlStreamParser(limits)).Condition);
        Assert.Equal(StreamError.PolicyViolation, ParseError(Header + "<a><![CDATA[" + new string('x', 2000), new XmlStreamParser(limits)).Condition);
    }

    [Fact]
    public void Stream_header_counts_against_the_size_limit()
    {
        var limits = new XmlParserLimits(MaxStanzaBytes: 1000);

        var error = ParseError("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='" + new string('x', 5000) + "'>", new XmlStreamParser(limits));

        Assert.Equal(StreamError.PolicyViolation, error.Condition);
    }

    [Fact]
    public void Stanza_exactly_at_the_size_limit_is_accepted_and_the_count_restarts_per_stanza()
    {
        var stanza = "<message><body>" + new string('x', 100) + "</body></message>";
        var parser = new XmlStreamParser(new XmlParserLimits(MaxStanzaBytes: stanza.Length));
        var events = Parse(Header + stanza + "  " + stanza + stanza, parser);
        Assert.Equal(4, events.Count);

        var longer = "<message><body>" + new string('x', 101) + "</body></message>";
        Assert.Equal(StreamError.PolicyViolation, ParseError(longer, parser).Condition);
    }

    [Fact]
    public void Ten_thousand_nested_elements_fail_at_the_depth_limit()
    {
        var xml = Header + string.Concat(Enumerable.Repeat("<a>", 10000));

        var error = ParseError(xml, new XmlStreamParser(new XmlParserLimits(MaxStanzaBytes: 10_000_000)));

        Assert.Equal(StreamError.PolicyViolation, error.Condition);
    }

    [Fact]
    public void Depth_limit_counts_from_the_stanza()
    {
        var limits = new XmlParserLimits(MaxDepth: 3);
        Assert.Equal(2, Parse(Header + "<a><b><c/></b></a>", new XmlStreamParser(limits)).Count);
        Assert.Equal(StreamError.PolicyViolation, ParseError(Header + "<a><b><c><d/></c></b></a>", new XmlStreamParser(limits)).Condition);
    }

    [Fact]
    public void Deep_nesting_within_generous_limits_does_not_recurse()
    {
        const int depth = 100_000;
        var xml = Header + string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth));
        var parser = new XmlStreamParser(new XmlParserLimits(MaxStanzaBytes: 10_000_000, MaxDepth: depth));

        var events = Parse(xml, parser);

        var element = Assert.IsType<StanzaReceived>(events[1]).Stanza;
        var levels = 1;
        while (element.FirstElement() is { } child)
        {
            element = child;
            levels++;
        }

        Assert.Equal(depth, levels);
    }

    [Fact]
    public void Too_many_attributes_is_a_policy_violation()
    {
        string Tag(int count) => "<a " + string.Join(' ', Enumerable.Range(0, count).Select(i => $"a{i}='{i}'")) + "/>";
        var limits = new XmlParserLimits(MaxAttributes: 64);

        Assert.Equal(64, Assert.IsType<StanzaReceived>(Parse(Header + Tag(64), new XmlStreamParser(limits))[1]).Stanza.Attributes.Count);
        Assert.Equal(StreamError.PolicyViolation, ParseError(Header + Tag(65), new XmlStreamParser(limits)).Condition);
        Assert.Equal(StreamError.PolicyViolation, ParseError(Header + Tag(10_000), new XmlStreamParser(limits)).Condition);
    }

    [Fact]
    public void Namespace_declarations_count_as_attributes()
    {
        var limits = new XmlParserLimits(MaxAttributes: 2);

        Assert.Equal(StreamError.PolicyViolation, ParseError(Header + "<a xmlns='urn:a' xmlns:b='urn:b' c='1'/>", new XmlStreamParser(limits)).Condition);
    }

    private static byte[] Concat(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];
}
