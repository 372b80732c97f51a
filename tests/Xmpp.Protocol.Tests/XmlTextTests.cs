using Xmpp.Protocol.Xml;

namespace Xmpp.Protocol.Tests;

public class XmlTextTests
{
    [Fact]
    public void Parse_reads_one_element_in_jabber_client_by_default()
    {
        var element = XmlText.Parse("  <message to='a@b'><body>hi</body></message>\n");

        Assert.True(element.Is("message", Namespaces.Client));
        Assert.Equal("hi", element.ChildText("body", Namespaces.Client));
    }

    [Fact]
    public void Utf8_form_round_trips_namespaces_language_and_text()
    {
        var original = XmlText.Parse(
            "<presence from='j\u00FCliet@example.com/balcony' xml:lang='de'><show>away</show>"
            + "<x xmlns='vcard-temp:x:update'><photo/></x><delay xmlns='urn:xmpp:delay' from='example.com' stamp='2002-09-10T23:08:25Z'/>"
            + "<status>&lt;3 &amp; \u2764</status></presence>");

        var copy = XmlText.Parse(XmlText.SerializeToUtf8(original));

        Assert.Equal(XmlText.Serialize(original), XmlText.Serialize(copy));
        Assert.Equal("de", copy.Lang);
        Assert.NotNull(copy.Child("x", "vcard-temp:x:update")?.Child("photo", "vcard-temp:x:update"));
        Assert.Equal("<3 & \u2764", copy.ChildText("status", Namespaces.Client));
    }

    [Fact]
    public void Parse_with_another_default_namespace()
    {
        Assert.Equal(Namespaces.VCard, XmlText.Parse("<FN>x</FN>", Namespaces.VCard).Namespace);
        Assert.Equal(string.Empty, XmlText.Parse("<a/>", string.Empty).Namespace);
    }

    [Fact]
    public void Parse_accepts_a_declaration_and_a_self_declared_namespace()
    {
        var element = XmlText.Parse("<?xml version='1.0' encoding='utf-8'?><vCard xmlns='vcard-temp'><FN>Juliet</FN></vCard>");

        Assert.Equal("Juliet", element.ChildText("FN", Namespaces.VCard));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<a/><b/>")]
    [InlineData("<a>")]
    [InlineData("<a></b>")]
    [InlineData("text")]
    [InlineData("<a/>text")]
    [InlineData("<a>&nbsp;</a>")]
    [InlineData("<!-- c --><a/>")]
    [InlineData("<p:a/>")]
    [InlineData("<a b='1' b='2'/>")]
    [InlineData("<a")]
    public void Parse_throws_FormatException_on_anything_but_one_element(string xml)
    {
        Assert.Throws<FormatException>(() => XmlText.Parse(xml));
    }

    [Fact]
    public void Parse_error_carries_the_stream_error()
    {
        var e = Assert.Throws<FormatException>(() => XmlText.Parse("<a>&foo;</a>"));

        Assert.Equal(StreamError.RestrictedXml, Assert.IsType<StreamErrorException>(e.InnerException).Error.Condition);
    }

    [Fact]
    public void Serialize_omits_the_inherited_namespace_and_ToString_uses_it()
    {
        var message = new Element("message") { To = "a@b" }.AddTextChild("body", Namespaces.Client, "x < y");

        Assert.Equal("<message to='a@b'><body>x &lt; y</body></message>", XmlText.Serialize(message));
        Assert.Equal("<message xmlns='jabber:client' to='a@b'><body>x &lt; y</body></message>", XmlText.Serialize(message, string.Empty));
        Assert.Equal(XmlText.Serialize(message), message.ToString());
    }

    [Fact]
    public void Serialize_of_a_stream_element_parses_back_on_its_own()
    {
        var error = new StreamError(StreamError.Conflict, "Replaced by new connection").ToElement();

        var parsed = XmlText.Parse(XmlText.Serialize(error));

        Assert.True(parsed.Is("error", Namespaces.Stream));
        Assert.Equal("Replaced by new connection", parsed.ChildText("text", Namespaces.Streams));
    }

    [Fact]
    public void Stored_elements_parse_beyond_the_network_stanza_limit()
    {
        var big = new Element("vCard", Namespaces.VCard).AddTextChild("PHOTO", Namespaces.VCard, new string('A', 1_000_000));

        Assert.Equal(1_000_000, XmlText.Parse(XmlText.Serialize(big)).ChildText("PHOTO", Namespaces.VCard)!.Length);
    }
}
