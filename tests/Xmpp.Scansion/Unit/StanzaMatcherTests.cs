using Xmpp.Protocol.Xml;
using Xmpp.Scansion.Matching;
using Xmpp.Scansion.Scripts;

namespace Xmpp.Scansion.Unit;

public sealed class StanzaMatcherTests
{
    // Expected XML is read the way scripts are; received XML the way the wire is.
    private static Element Expected(string xml) => Assert.Single(ScriptXml.ParseBlock(xml, "test.scs", 1));

    private static Element Received(string xml) => XmlText.Parse(xml);

    private static MatchResult Match(string expected, string received) => StanzaMatcher.Match(Expected(expected), Received(received));

    private static void AssertMatch(string expected, string received)
    {
        var result = Match(expected, received);
        Assert.True(result.IsMatch, result.Difference);
    }

    private static string AssertMismatch(string expected, string received)
    {
        var result = Match(expected, received);
        Assert.False(result.IsMatch, "expected a mismatch");
        return result.Difference!;
    }

    [Fact]
    public void NonStrictAllowsExtraAttributesAndChildrenInAnyOrder()
    {
        AssertMatch(
            "<message type='chat'><body>hi</body><delay xmlns='urn:xmpp:delay' from='b' stamp='{scansion:any}'/></message>",
            "<message type='chat' id='x' to='a@b/c'><delay xmlns='urn:xmpp:delay' stamp='2020' from='b'/><thread>t</thread><body>hi</body></message>");
    }

    [Fact]
    public void NamesAndNamespacesMustBeEqual()
    {
        AssertMismatch("<presence/>", "<message/>");
        AssertMismatch("<message><x xmlns='a'/></message>", "<message><x xmlns='b'/></message>");
    }

    [Fact]
    public void ExpectedAttributesMustBePresentWithEqualValues()
    {
        Assert.Contains("missing", AssertMismatch("<presence type='unavailable'/>", "<presence/>"), StringComparison.Ordinal);
        Assert.Contains("'error'", AssertMismatch("<iq type='result'/>", "<iq type='error'/>"), StringComparison.Ordinal);
    }

    [Fact]
    public void AnOtherNamespaceMakesTheElementAndItsDescendantsStrict()
    {
        // Extra attribute on a payload element: strict.
        AssertMismatch("<iq><query xmlns='jabber:iq:roster'/></iq>", "<iq><query xmlns='jabber:iq:roster' ver='1'/></iq>");

        // Extra child of a payload element: strict.
        AssertMismatch(
            "<iq><query xmlns='jabber:iq:roster'><item jid='a@b'/></query></iq>",
            "<iq><query xmlns='jabber:iq:roster'><item jid='a@b'/><item jid='c@d'/></query></iq>");

        // Children one to one, in order.
        AssertMismatch(
            "<iq><query xmlns='jabber:iq:roster'><item jid='a@b'/><item jid='c@d'/></query></iq>",
            "<iq><query xmlns='jabber:iq:roster'><item jid='c@d'/><item jid='a@b'/></query></iq>");
        AssertMatch(
            "<iq><query xmlns='jabber:iq:roster'><item jid='a@b'/><item jid='c@d'/></query></iq>",
            "<iq id='1'><query xmlns='jabber:iq:roster'><item jid='a@b'/><item jid='c@d'/></query></iq>");
    }

    [Fact]
    public void StrictnessIsInheritedByJabberClientDescendants()
    {
        // A forwarded <message xmlns='jabber:client'> inside a MAM result is strict: no extra attributes.
        const string expected = "<message><result xmlns='urn:xmpp:mam:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' to='a@b'/></forwarded></result></message>";
        AssertMatch(expected, "<message><result xmlns='urn:xmpp:mam:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' to='a@b'/></forwarded></result></message>");
        AssertMismatch(expected, "<message><result xmlns='urn:xmpp:mam:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' to='a@b' id='x'/></forwarded></result></message>");

        var forwarded = Expected(expected).Elements().Single().Elements().Single().Elements().Single();
        Assert.True(StanzaMatcher.IsStrict(forwarded, ancestorOutsideClient: true));
        Assert.False(StanzaMatcher.IsStrict(forwarded, ancestorOutsideClient: false));
    }

    [Fact]
    public void ScansionStrictDecidesForThatElementOnly()
    {
        // strict='false' on the query: extra children and attributes are fine there…
        const string expected = "<iq><query xmlns='http://jabber.org/protocol/disco#info' scansion:strict='false'><identity category='account' type='registered'/></query></iq>";
        AssertMatch(expected, "<iq><query xmlns='http://jabber.org/protocol/disco#info' node='n'><feature var='x'/><identity category='account' type='registered'/></query></iq>");

        // …but its children are still strict by their namespace.
        AssertMismatch(expected, "<iq><query xmlns='http://jabber.org/protocol/disco#info'><identity category='account' type='registered' name='extra'/></query></iq>");

        // strict='true' on a jabber:client element makes it strict.
        AssertMismatch("<presence scansion:strict='true' type='unavailable'/>", "<presence type='unavailable' from='a@b'/>");
        AssertMatch("<presence scansion:strict='true' type='unavailable'/>", "<presence type='unavailable'/>");
    }

    [Fact]
    public void TheStrictAttributeIsNeverCompared()
    {
        // Strict, and the received element has exactly the other attributes: the override itself is not counted.
        AssertMatch("<iq><query xmlns='jabber:iq:version' scansion:strict='true'/></iq>", "<iq><query xmlns='jabber:iq:version'/></iq>");
    }

    [Fact]
    public void TextIsComparedOnLeavesWithNonWhitespaceExpectedText()
    {
        AssertMatch("<message><body>Hello</body></message>", "<message><body>Hello</body></message>");
        Assert.Contains("text", AssertMismatch("<message><body>Hello</body></message>", "<message><body>Hello!</body></message>"), StringComparison.Ordinal);

        // Without expected text any text matches, even when strict.
        AssertMatch(
            "<iq><query xmlns='jabber:iq:version' scansion:strict='true'><name>Prosody</name><version scansion:strict='false'/></query></iq>",
            "<iq><query xmlns='jabber:iq:version'><name>Prosody</name><version>0.12.3</version></query></iq>");
        AssertMatch("<iq><query xmlns='jabber:iq:last' seconds='{scansion:any}'/></iq>", "<iq><query xmlns='jabber:iq:last' seconds='3'>Goodbye</query></iq>");

        // White space between child elements is indentation, not text.
        AssertMatch("<message><body>x</body></message>", "<message>\n  <body>x</body>\n</message>");
    }

    [Fact]
    public void TextIsNotComparedOnElementsWithChildren()
    {
        var expected = new Element("message").AddText("some text");
        expected.AddTextChild("body", "jabber:client", "x");
        var result = StanzaMatcher.Match(expected, Received("<message>other<body>x</body></message>"));
        Assert.True(result.IsMatch, result.Difference);
    }

    [Fact]
    public void XmlLangIsAnOrdinaryAttribute()
    {
        AssertMatch("<message xml:lang='en'/>", "<message xml:lang='en' id='1'/>");
        AssertMismatch("<message xml:lang='en'/>", "<message xml:lang='de'/>");
        AssertMismatch("<message xml:lang='en'/>", "<message/>");

        // In a strict element an unexpected xml:lang is an extra attribute.
        AssertMismatch(
            "<iq><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' id='1'/></forwarded></iq>",
            "<iq><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' id='1' xml:lang='en'/></forwarded></iq>");
    }

    [Fact]
    public void AnyAndCaptureMatchAnyValueOfAPresentAttribute()
    {
        AssertMismatch("<iq id='{scansion:any}'/>", "<iq/>");
        AssertMismatch("<iq id='{scansion:capture:x}'/>", "<iq/>");

        var result = Match(
            "<iq id='{scansion:capture:first}'><metadata xmlns='urn:xmpp:mam:2'><start id='{scansion:capture:start}' timestamp='{scansion:any}'/></metadata></iq>",
            "<iq id='abc'><metadata xmlns='urn:xmpp:mam:2'><start id='s1' timestamp='2020'/></metadata></iq>");
        Assert.True(result.IsMatch, result.Difference);
        Assert.Equal("abc", result.Captures["first"]);
        Assert.Equal("s1", result.Captures["start"]);
    }

    [Fact]
    public void CapturesOfAFailedMatchAreNotKept()
    {
        var result = Match("<message><x xmlns='a' id='{scansion:capture:c}' v='1'/></message>", "<message><x xmlns='a' id='no' v='2'/></message>");
        Assert.False(result.IsMatch);
        Assert.Empty(result.Captures);
    }

    [Fact]
    public void NonStrictChildSearchReportsTheNearestMiss()
    {
        var difference = AssertMismatch(
            "<message><x xmlns='http://jabber.org/protocol/muc#user'><status code='110'/></x></message>",
            "<message><x xmlns='http://jabber.org/protocol/muc#user'><status code='100'/></x></message>");
        Assert.Contains("code", difference, StringComparison.Ordinal);
        Assert.Contains("/message", difference, StringComparison.Ordinal);
    }
}
