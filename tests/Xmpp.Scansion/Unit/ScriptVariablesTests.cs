using Xmpp.Protocol.Xml;
using Xmpp.Scansion.Matching;

namespace Xmpp.Scansion.Unit;

public sealed class ScriptVariablesTests
{
    [Fact]
    public void SubstitutesFullAndBareJidsOfNamesWithApostrophes()
    {
        var variables = new ScriptVariables();
        variables.SetBareJid("Juliet", "juliet@localhost");
        variables.SetBareJid("Juliet's phone", "juliet@localhost");
        variables.SetBoundJid("Juliet's phone", "juliet@localhost/mobile");
        variables.SetBoundJid("Juliet", "juliet@localhost/abc");

        Assert.Equal("juliet@localhost/mobile", variables.Substitute("${Juliet's phone's full JID}"));
        Assert.Equal("juliet@localhost", variables.Substitute("${Juliet's phone's JID}"));
        Assert.Equal("to juliet@localhost/abc and juliet@localhost", variables.Substitute("to ${Juliet's full JID} and ${Juliet's JID}"));
    }

    [Fact]
    public void SubstitutesInAttributesAndTextButLeavesScansionValues()
    {
        var variables = new ScriptVariables();
        variables.SetBoundJid("Romeo", "romeo@localhost/r");
        var template = XmlText.Parse("<message to='${Romeo&apos;s full JID}' id='{scansion:any}'><body>hi ${Romeo&apos;s JID}</body></message>");

        var stanza = variables.Substitute(template);

        Assert.Equal("romeo@localhost/r", stanza.To);
        Assert.Equal("{scansion:any}", stanza.Id);
        Assert.Equal("hi romeo@localhost", stanza.ChildText("body", "jabber:client"));
        Assert.Equal("${Romeo's full JID}", template.To); // the template is untouched
    }

    [Fact]
    public void TheBareJidIsKnownBeforeConnectingButNotTheFullOne()
    {
        var variables = new ScriptVariables();
        variables.SetBareJid("Mercutio", "user3@localhost");
        Assert.Equal("user3@localhost", variables.Substitute("${Mercutio's JID}"));
        Assert.Throws<ScansionVariableException>(() => variables.Substitute("${Mercutio's full JID}"));
        Assert.Throws<ScansionVariableException>(() => variables.Substitute("${Nobody's JID}"));
    }

    [Fact]
    public void CapturedValuesCanBeUsedAndALaterCaptureOverwrites()
    {
        var variables = new ScriptVariables();
        variables.Capture("first", "1");
        variables.Capture("first", "2");
        Assert.Equal("id 2", variables.Substitute("id ${first}"));
    }
}
