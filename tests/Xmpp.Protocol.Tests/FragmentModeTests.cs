using Xmpp.Protocol.Xml;
using static Xmpp.Protocol.Tests.ParserHarness;

namespace Xmpp.Protocol.Tests;

/// <summary>RFC 7395 framing: top-level elements without a stream root.</summary>
public class FragmentModeTests
{
    [Fact]
    public void Every_top_level_element_is_a_stanza_including_open_and_close()
    {
        var parser = XmlStreamParser.ForFragments();
        Assert.True(parser.IsFragmentMode);

        var events = Parse(
            "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.com' version='1.0'/>"
            + "<message xmlns='jabber:client' to='a@example.com'><body>hi</body></message>"
            + "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>",
            parser);

        Assert.Equal(3, events.Count);
        var open = Assert.IsType<StanzaReceived>(events[0]).Stanza;
        Assert.True(open.Is("open", Namespaces.Framing));
        Assert.Equal("example.com", open.To);
        Assert.Equal("hi", Assert.IsType<StanzaReceived>(events[1]).Stanza.ChildText("body", Namespaces.Client));
        Assert.True(Assert.IsType<StanzaReceived>(events[2]).Stanza.Is("close", Namespaces.Framing));
    }

    [Fact]
    public void Unprefixed_elements_without_xmlns_are_in_the_given_default_namespace()
    {
        Assert.Equal(Namespaces.Client, Assert.IsType<StanzaReceived>(Assert.Single(Parse("<presence/>", XmlStreamParser.ForFragments()))).Stanza.Namespace);
        Assert.Equal(Namespaces.Server, Assert.IsType<StanzaReceived>(Assert.Single(Parse("<presence/>", XmlStreamParser.ForFragments(defaultNamespace: Namespaces.Server)))).Stanza.Namespace);
    }

    [Fact]
    public void Stream_prefixed_elements_declare_their_prefix()
    {
        var events = Parse("<stream:features xmlns:stream='http://etherx.jabber.org/streams'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>", XmlStreamParser.ForFragments());

        var features = Assert.IsType<StanzaReceived>(Assert.Single(events)).Stanza;
        Assert.True(features.Is("features", Namespaces.Stream));
        Assert.NotNull(features.Child("bind", Namespaces.Bind));
    }

    [Fact]
    public void Stream_header_in_fragment_mode_is_just_an_element()
    {
        var parser = XmlStreamParser.ForFragments();

        var events = Parse("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'/>", parser);

        Assert.True(Assert.IsType<StanzaReceived>(Assert.Single(events)).Stanza.Is("stream", Namespaces.Stream));
    }

    [Fact]
    public void Declaration_is_allowed_at_the_start_and_whitespace_between_elements()
    {
        var events = Parse("<?xml version='1.0'?><a/>\n <b/> ", XmlStreamParser.ForFragments());

        Assert.Equal(2, events.Count);
    }

    [Theory]
    [InlineData("text<a/>", StreamError.NotWellFormed)]
    [InlineData("<a/>text", StreamError.NotWellFormed)]
    [InlineData("</a>", StreamError.NotWellFormed)]
    [InlineData("<a/><?xml version='1.0'?>", StreamError.RestrictedXml)]
    [InlineData("<a/><!-- c -->", StreamError.RestrictedXml)]
    [InlineData("<p:a/>", StreamError.BadNamespacePrefix)]
    public void Errors_in_fragment_mode(string xml, string condition)
    {
        Assert.Equal(condition, ParseError(xml, XmlStreamParser.ForFragments()).Condition);
    }

    [Fact]
    public void Limits_apply_per_element()
    {
        var parser = XmlStreamParser.ForFragments(new XmlParserLimits(MaxStanzaBytes: 10));

        Assert.Equal(3, Parse("<abcdef/><abcdef/><a></a>", parser).Count);
        Assert.Equal(StreamError.PolicyViolation, ParseError("<abcdefghij/>", parser).Condition);
    }

    [Fact]
    public void Reset_in_fragment_mode_keeps_fragment_mode()
    {
        var parser = XmlStreamParser.ForFragments();
        Parse("<a><b>", parser);

        parser.Reset();

        Assert.Single(Parse("<c/>", parser));
        Assert.True(parser.IsAtStanzaBoundary);
    }
}
