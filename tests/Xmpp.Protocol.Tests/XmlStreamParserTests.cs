using System.Text;
using Xmpp.Protocol.Xml;
using static Xmpp.Protocol.Tests.ParserHarness;

namespace Xmpp.Protocol.Tests;

public class XmlStreamParserTests
{
    internal const string Header =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0' xml:lang='en'>";

    [Fact]
    public void Stream_header_becomes_StreamOpened_with_attributes_and_default_namespace()
    {
        var events = Parse(Header);

        var opened = Assert.IsType<StreamOpened>(Assert.Single(events));
        Assert.Equal("stream", opened.Header.Name);
        Assert.Equal(Namespaces.Stream, opened.Header.Namespace);
        Assert.Equal(Namespaces.Client, opened.DefaultNamespace);
        Assert.Equal("localhost", opened.Header.To);
        Assert.Equal("1.0", opened.Header.GetAttribute("version"));
        Assert.Equal("en", opened.Header.Lang);
        Assert.Equal("en", opened.Header.GetAttribute("lang", Namespaces.Xml));
        Assert.Equal(3, opened.Header.Attributes.Count); // namespace declarations are not attributes
        Assert.Empty(opened.Header.Nodes);
    }

    [Fact]
    public void Stream_header_with_another_prefix_for_the_streams_namespace_is_accepted()
    {
        var events = Parse("<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:server' to='b.example'><s:features/></s:stream>");

        Assert.Equal(3, events.Count);
        Assert.Equal(Namespaces.Server, Assert.IsType<StreamOpened>(events[0]).DefaultNamespace);
        Assert.True(Assert.IsType<StanzaReceived>(events[1]).Stanza.Is("features", Namespaces.Stream));
        Assert.IsType<StreamClosed>(events[2]);
    }

    [Fact]
    public void Stream_header_without_default_namespace_reports_an_empty_one_and_stanzas_have_no_namespace()
    {
        var events = Parse("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'><message/>");

        Assert.Equal(string.Empty, Assert.IsType<StreamOpened>(events[0]).DefaultNamespace);
        Assert.Equal(string.Empty, Assert.IsType<StanzaReceived>(events[1]).Stanza.Namespace);
    }

    [Fact]
    public void Stanzas_are_reported_one_by_one_with_children_attributes_and_text()
    {
        var events = Parse(Header
            + "<message to='juliet@example.com' type='chat' id='m1'><body>Wherefore art thou?</body><thread>t1</thread></message>"
            + "<presence/><iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>");

        Assert.Equal(4, events.Count);
        var message = Assert.IsType<StanzaReceived>(events[1]).Stanza;
        Assert.True(message.Is("message", Namespaces.Client));
        Assert.Equal("juliet@example.com", message.To);
        Assert.Equal("chat", message.Type);
        Assert.Equal("m1", message.Id);
        Assert.Equal("Wherefore art thou?", message.ChildText("body", Namespaces.Client));
        Assert.Equal("t1", message.ChildText("thread", Namespaces.Client));
        Assert.True(Assert.IsType<StanzaReceived>(events[2]).Stanza.Is("presence", Namespaces.Client));
        var iq = Assert.IsType<StanzaReceived>(events[3]).Stanza;
        Assert.True(iq.FirstElement()!.Is("ping", Namespaces.Ping));
    }

    [Fact]
    public void Whitespace_keepalives_between_stanzas_produce_no_events()
    {
        var parser = new XmlStreamParser();
        var events = Parse(Header + "\n \t\r\n", parser);
        Assert.Single(events);

        var more = new List<StreamEvent>();
        parser.Parse(" "u8, more);
        parser.Parse("\n\n<presence/>  "u8, more);
        Assert.IsType<StanzaReceived>(Assert.Single(more));
    }

    [Fact]
    public void Whitespace_text_inside_elements_is_kept_exactly()
    {
        var stanza = SingleStanza("<message>\n  <body> two  spaces </body>\n</message>");

        Assert.Equal(3, stanza.Nodes.Count);
        Assert.Equal("\n  ", Assert.IsType<TextNode>(stanza.Nodes[0]).Value);
        Assert.Equal(" two  spaces ", stanza.ChildText("body", Namespaces.Client));
        Assert.Equal("\n", Assert.IsType<TextNode>(stanza.Nodes[2]).Value);
    }

    [Fact]
    public void Mixed_content_keeps_document_order()
    {
        var stanza = SingleStanza("<body>a<b/>c<d>e</d>f</body>");

        Assert.Equal("{jabber:client}body()[\"a\",{jabber:client}b()[],\"c\",{jabber:client}d()[\"e\",],\"f\",]", Describe(stanza));
    }

    [Fact]
    public void Closing_tag_becomes_StreamClosed_and_whitespace_may_follow()
    {
        var events = Parse(Header + "<presence/></stream:stream>\n ");

        Assert.IsType<StreamClosed>(events[^1]);
        Assert.Equal(3, events.Count);
    }

    [Fact]
    public void After_the_stream_closed_the_parser_is_at_a_boundary()
    {
        var parser = new XmlStreamParser();
        Parse(Header + "<presence/></stream:stream>\n", parser);

        Assert.True(parser.IsAtStanzaBoundary);
        Assert.False(parser.IsStreamOpen);
    }

    [Fact]
    public void Self_closed_stream_header_opens_and_closes()
    {
        var events = Parse("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client'/>");

        Assert.IsType<StreamOpened>(events[0]);
        Assert.IsType<StreamClosed>(events[1]);
    }

    [Fact]
    public void Client_side_reads_a_server_stream_with_features()
    {
        var events = Parse(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='abc' from='localhost' version='1.0' xml:lang='en'>"
            + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
            + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>");

        var opened = Assert.IsType<StreamOpened>(events[0]);
        Assert.Equal("abc", opened.Header.Id);
        var features = Assert.IsType<StanzaReceived>(events[1]).Stanza;
        Assert.True(features.Is("features", Namespaces.Stream));
        Assert.NotNull(features.Child("starttls", Namespaces.Tls)!.Child("required", Namespaces.Tls));
        Assert.Equal("PLAIN", features.Child("mechanisms", Namespaces.Sasl)!.ChildText("mechanism", Namespaces.Sasl));
    }

    [Fact]
    public void Stream_error_from_a_server_is_a_stanza_in_the_streams_namespace()
    {
        var events = Parse(Header + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");

        var error = Assert.IsType<StanzaReceived>(events[1]).Stanza;
        Assert.True(error.Is("error", Namespaces.Stream));
        Assert.True(error.FirstElement()!.Is("host-unknown", Namespaces.Streams));
        Assert.IsType<StreamClosed>(events[2]);
    }

    [Fact]
    public void Xml_declaration_with_utf8_encoding_and_standalone_is_accepted()
    {
        var events = Parse("<?xml version=\"1.0\" encoding=\"utf-8\" standalone='yes' ?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>");

        Assert.IsType<StreamOpened>(Assert.Single(events));
    }

    [Fact]
    public void Utf8_byte_order_mark_at_the_start_is_skipped()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Header)).ToArray();

        Assert.IsType<StreamOpened>(Assert.Single(Parse(bytes)));
    }

    [Fact]
    public void No_declaration_is_needed()
    {
        Assert.IsType<StreamOpened>(Assert.Single(Parse(Header["<?xml version='1.0'?>".Length..])));
    }

    [Fact]
    public void Predefined_entities_and_character_references_are_decoded_in_text_and_attributes()
    {
        var stanza = SingleStanza("<body a='&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;'>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1f600;</body>");

        Assert.Equal("<>&\"'AB\U0001F600", stanza.GetAttribute("a"));
        Assert.Equal("<>&\"'AB\U0001F600", stanza.Text);
    }

    [Fact]
    public void Greater_than_and_quotes_are_allowed_literally_where_xml_allows_them()
    {
        var stanza = SingleStanza("<body a=\"it's > x\" b='say \"hi\"'>a > b \" '</body>");

        Assert.Equal("it's > x", stanza.GetAttribute("a"));
        Assert.Equal("say \"hi\"", stanza.GetAttribute("b"));
        Assert.Equal("a > b \" '", stanza.Text);
    }

    [Fact]
    public void Line_ends_are_normalized_in_text_and_character_references_survive()
    {
        var stanza = SingleStanza("<body>a\r\nb\rc\n&#13;&#10;d</body>");

        Assert.Equal("a\nb\nc\n\r\nd", stanza.Text);
    }

    [Fact]
    public void Attribute_values_are_normalized_but_character_references_survive()
    {
        var stanza = SingleStanza("<x a='1\t2\n3\r\n4\r5' b='&#9;&#10;&#13;'/>");

        Assert.Equal("1 2 3 4 5", stanza.GetAttribute("a"));
        Assert.Equal("\t\n\r", stanza.GetAttribute("b"));
    }

    [Fact]
    public void White_space_around_attribute_equals_and_before_tag_end_is_allowed()
    {
        var stanza = SingleStanza("<message\n to = 'a'\ttype\n=\n\"chat\" ></message >");

        Assert.Equal("a", stanza.To);
        Assert.Equal("chat", stanza.Type);
    }

    [Fact]
    public void Cdata_sections_are_character_data()
    {
        var stanza = SingleStanza("<body>x<![CDATA[<b>&amp; ]] ]> ]]]]>y</body>");

        Assert.Equal("x<b>&amp; ]] ]> ]]y", stanza.Text);
        Assert.Single(stanza.Nodes);
    }

    [Fact]
    public void Non_ascii_text_names_and_attribute_values_are_decoded()
    {
        var stanza = SingleStanza("<café xmlns='urn:x' nom='Zoë 日本 𝄞'>😀 ü</café>");

        Assert.Equal("café", stanza.Name);
        Assert.Equal("Zoë 日本 𝄞", stanza.GetAttribute("nom"));
        Assert.Equal("😀 ü", stanza.Text);
    }

    [Fact]
    public void Children_inherit_the_default_namespace_and_payloads_declare_their_own()
    {
        var iq = SingleStanza("<iq type='result'><query xmlns='jabber:iq:roster' ver='1'><item jid='a@b'><group>G</group></item></query><error/></iq>");

        var query = iq.Child("query", Namespaces.Roster)!;
        Assert.Equal("1", query.GetAttribute("ver"));
        Assert.Equal("G", query.Child("item", Namespaces.Roster)!.ChildText("group", Namespaces.Roster));
        Assert.NotNull(iq.Child("error", Namespaces.Client)); // the payload's xmlns ended with it
    }

    [Fact]
    public void Prefixed_elements_and_attributes_resolve_to_their_namespace()
    {
        var stanza = SingleStanza("<message xmlns:p='urn:p' xmlns:q='urn:q' p:a='1' q:a='2' a='3'><p:x><q:y p:b='4'/><z/></p:x></message>");

        Assert.Equal("1", stanza.GetAttribute("a", "urn:p"));
        Assert.Equal("2", stanza.GetAttribute("a", "urn:q"));
        Assert.Equal("3", stanza.GetAttribute("a"));
        var x = stanza.Child("x", "urn:p")!;
        Assert.Equal("4", x.Child("y", "urn:q")!.GetAttribute("b", "urn:p"));
        Assert.NotNull(x.Child("z", Namespaces.Client)); // a prefix does not change the default namespace
    }

    [Fact]
    public void Unprefixed_attributes_have_no_namespace_even_under_a_default_namespace()
    {
        var stanza = SingleStanza("<x xmlns='urn:x' a='1'/>");

        Assert.Equal("1", stanza.GetAttribute("a", string.Empty));
        Assert.Null(stanza.GetAttribute("a", "urn:x"));
    }

    [Fact]
    public void Xml_prefix_needs_no_declaration()
    {
        var stanza = SingleStanza("<message xml:lang='de'><body xml:lang='en'>hi</body></message>");

        Assert.Equal("de", stanza.Lang);
        Assert.Equal("en", stanza.Child("body", Namespaces.Client)!.Lang);
    }

    [Fact]
    public void Prefix_bindings_end_with_their_element()
    {
        var parser = new XmlStreamParser();
        var events = Parse(Header + "<message><p:x xmlns:p='urn:p'/></message>", parser);
        Assert.Equal(2, events.Count);

        var error = ParseError("<message><p:y/></message>", parser);
        Assert.Equal(StreamError.BadNamespacePrefix, error.Condition);
    }

    [Fact]
    public void A_prefix_can_be_rebound_in_a_nested_scope_and_restored()
    {
        var stanza = SingleStanza("<a xmlns:p='urn:1'><p:b xmlns:p='urn:2'><p:c/></p:b><p:d/></a>");

        var b = stanza.Child("b", "urn:2")!;
        Assert.NotNull(b.Child("c", "urn:2"));
        Assert.NotNull(stanza.Child("d", "urn:1"));
    }

    [Fact]
    public void Empty_default_namespace_declaration_undeclares_it()
    {
        var stanza = SingleStanza("<message><x xmlns=''><y/></x></message>");

        var x = stanza.Child("x", string.Empty)!;
        Assert.NotNull(x.Child("y", string.Empty));
    }

    [Fact]
    public void Common_names_and_namespaces_are_interned()
    {
        var events = Parse(Header + "<message><body>a</body><x xmlns='urn:custom:ns'/></message><message><body>b</body><x xmlns='urn:custom:ns'/></message>");

        var first = Assert.IsType<StanzaReceived>(events[1]).Stanza;
        var second = Assert.IsType<StanzaReceived>(events[2]).Stanza;
        Assert.Same("message", first.Name);
        Assert.Same(Namespaces.Client, first.Namespace);
        Assert.Same(first.FirstElement()!.Name, second.FirstElement()!.Name);
        Assert.Same(first.Elements().Last().Namespace, second.Elements().Last().Namespace);
    }

    [Fact]
    public void IsAtStanzaBoundary_tracks_partial_elements()
    {
        var parser = new XmlStreamParser();
        Assert.True(parser.IsAtStanzaBoundary);

        parser.Parse(Encoding.UTF8.GetBytes(Header), []);
        Assert.True(parser.IsAtStanzaBoundary);

        parser.Parse("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'"u8, []);
        Assert.False(parser.IsAtStanzaBoundary);

        var events = new List<StreamEvent>();
        parser.Parse("/> "u8, events);
        Assert.Single(events);
        Assert.True(parser.IsAtStanzaBoundary);

        parser.Parse("<"u8, []);
        Assert.False(parser.IsAtStanzaBoundary);

        parser.Parse("message><body>"u8, []);
        Assert.False(parser.IsAtStanzaBoundary);
    }

    [Fact]
    public void Reset_starts_a_new_stream_with_a_new_declaration()
    {
        var parser = new XmlStreamParser();
        Parse(Header + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><message><bo", parser);

        parser.Reset();
        var events = Parse(Header.Replace("to='localhost'", "to='other'", StringComparison.Ordinal) + "<presence/>", parser);

        Assert.Equal("other", Assert.IsType<StreamOpened>(events[0]).Header.To);
        Assert.IsType<StanzaReceived>(events[1]);
        Assert.Equal(2, events.Count);
    }

    [Fact]
    public void Reset_forgets_prefix_bindings_of_the_old_stream()
    {
        var parser = new XmlStreamParser();
        Parse("<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns:p='urn:p'>", parser);
        parser.Reset();
        Parse("<s:stream xmlns:s='http://etherx.jabber.org/streams'>", parser);

        Assert.Equal(StreamError.BadNamespacePrefix, ParseError("<p:x/>", parser).Condition);
    }

    [Fact]
    public void Without_reset_a_second_stream_header_is_not_a_new_stream()
    {
        var parser = new XmlStreamParser();
        Parse(Header, parser);

        // A nested <stream:stream> is an ordinary (unfinished) first-level element.
        var events = Parse(Header["<?xml version='1.0'?>".Length..], parser);
        Assert.Empty(events);
        Assert.False(parser.IsAtStanzaBoundary);
    }

    [Fact]
    public void Reset_clears_a_failure_and_a_failed_parser_keeps_failing()
    {
        var parser = new XmlStreamParser();
        Assert.Equal(StreamError.NotWellFormed, ParseError(Header + "<a></b>", parser).Condition);
        Assert.Equal(StreamError.NotWellFormed, ParseError(" ", parser).Condition);

        parser.Reset();
        Assert.IsType<StreamOpened>(Assert.Single(Parse(Header, parser)));
    }

    [Fact]
    public void Events_completed_before_an_error_are_still_reported()
    {
        var parser = new XmlStreamParser();
        var events = new List<StreamEvent>();

        Assert.Throws<StreamErrorException>(() => parser.Parse(Encoding.UTF8.GetBytes(Header + "<presence/><!-- x -->"), events));

        Assert.Equal(2, events.Count);
    }

    [Fact]
    public void Element_named_like_stream_in_another_namespace_is_refused_as_root()
    {
        Assert.Equal(StreamError.InvalidNamespace, ParseError("<stream:stream xmlns:stream='urn:wrong'>").Condition);
        Assert.Equal(StreamError.InvalidNamespace, ParseError("<stream xmlns='jabber:client'>").Condition);
        Assert.Equal(StreamError.InvalidNamespace, ParseError("<stream:foo xmlns:stream='http://etherx.jabber.org/streams'>").Condition);
    }

    [Fact]
    public void ReadOnlySequence_with_many_segments_parses_like_one_span()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "<message><body>é😀</body></message>");
        var sequence = TestSequence.Create(bytes, segmentLength: 3);
        var events = new List<StreamEvent>();

        new XmlStreamParser().Parse(sequence, events);

        Assert.Equal(Describe(Parse(bytes)), Describe(events));
    }

    internal static Element SingleStanza(string xml)
    {
        var events = Parse(Header + xml);
        Assert.Equal(2, events.Count);
        return Assert.IsType<StanzaReceived>(events[1]).Stanza;
    }
}
