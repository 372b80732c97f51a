using Xmpp.Protocol;
using Xmpp.Scansion.Scripts;

namespace Xmpp.Scansion.Unit;

public sealed class ScriptParserTests
{
    private const string TwoJuliets = """
        # Title of the script
        // another comment
        -- and another

        [Client] Juliet
        	jid: juliet@localhost
        	password: password

        [Client] Juliet's phone
        	jid: juliet@localhost/ignored
        	password: secret
        	resource: mobile
        	colour: blue
        	connect_host: 127.0.0.1
        	connect_port: 5999

        ---------

        Juliet connects
        Juliet's phone connects

        Juliet's phone sends:
        	<presence/>

        Juliet's phone receives
        	<presence from="${Juliet's phone's full JID}"/>

        Juliet receives: nothing
        Juliet's phone receives nothing

        Juliet disconnects
        """;

    [Fact]
    public void ReadsClientDefinitionsAndIgnoresUnknownKeys()
    {
        var script = ScriptParser.Parse(TwoJuliets, "t.scs");

        Assert.Equal("Title of the script", script.Title);
        Assert.Equal(["Juliet", "Juliet's phone"], script.Clients.Select(c => c.Name));
        var phone = script.Clients[1];
        Assert.Equal("juliet@localhost/ignored", phone.Jid);
        Assert.Equal("secret", phone.Password);
        Assert.Equal("mobile", phone.Resource);
        Assert.Equal("127.0.0.1", phone.ConnectHost);
        Assert.Equal(5999, phone.ConnectPort);
        Assert.Null(script.Clients[0].Resource);
    }

    [Fact]
    public void MatchesTheLongestClientNameAndOptionalColons()
    {
        var script = ScriptParser.Parse(TwoJuliets, "t.scs");

        Assert.Equal(
            [
                ("Juliet", ActionKind.Connect, 19),
                ("Juliet's phone", ActionKind.Connect, 20),
                ("Juliet's phone", ActionKind.Send, 22),
                ("Juliet's phone", ActionKind.Receive, 25),
                ("Juliet", ActionKind.ReceiveNothing, 28),
                ("Juliet's phone", ActionKind.ReceiveNothing, 29),
                ("Juliet", ActionKind.Disconnect, 31),
            ],
            script.Actions.Select(a => (a.Client.Name, a.Kind, a.Line)));
    }

    [Fact]
    public void ParsesXmlWithDefaultNamespaceAndScansionPrefix()
    {
        var script = ScriptParser.Parse(
            """
            [Client] Romeo
            	jid: romeo@localhost
            -----
            Romeo receives:
            	<iq type="result" id="a">
            		<query xmlns="jabber:iq:version" scansion:strict="true">
            			<name>Prosody</name>
            			<note>line one&#10;line two</note>
            		</query>
            	</iq>
            """,
            "t.scs");

        var iq = Assert.Single(Assert.Single(script.Actions).Stanzas);
        Assert.Equal(("iq", Namespaces.Client), (iq.Name, iq.Namespace));
        Assert.DoesNotContain(iq.Nodes, n => n is Protocol.Xml.TextNode); // indentation is dropped
        var query = Assert.Single(iq.Elements());
        Assert.Equal("jabber:iq:version", query.Namespace);
        Assert.Equal("true", query.GetAttribute("strict", ScansionNamespace.Uri));
        Assert.Equal("Prosody", query.ChildText("name", "jabber:iq:version"));
        Assert.Equal("line one\nline two", query.ChildText("note", "jabber:iq:version"));
    }

    [Fact]
    public void SeveralTopLevelElementsAreSeveralStanzasAndBlankLinesDoNotEndTheBlock()
    {
        var script = ScriptParser.Parse(
            """
            [Client] Romeo
            	jid: romeo@localhost
            ---
            Romeo sends:
            	<message to="a@localhost">

            		<body>one</body>
            	</message>

            	<presence xml:lang="en"/>

            # a comment ends the block
            Romeo disconnects
            """,
            "t.scs");

        Assert.Equal(2, script.Actions.Count);
        var stanzas = script.Actions[0].Stanzas;
        Assert.Equal(["message", "presence"], stanzas.Select(s => s.Name));
        Assert.Equal("one", stanzas[0].ChildText("body", Namespaces.Client));
        Assert.Equal("en", stanzas[1].Lang);
        Assert.Equal(ActionKind.Disconnect, script.Actions[1].Kind);
    }

    [Fact]
    public void DashRowsSeparateAndDoubleDashLinesAreComments()
    {
        Assert.True(ScriptParser.IsSeparator("---"));
        Assert.True(ScriptParser.IsSeparator("-------------"));
        Assert.False(ScriptParser.IsSeparator("--"));
        Assert.False(ScriptParser.IsSeparator("-- Juliet sends:"));

        var script = ScriptParser.Parse(
            """
            [Client] Juliet
            	jid: juliet@localhost
            ---
            -- Juliet sends:
            -- 	<iq type="set"/>
            --
            Juliet connects
            """,
            "t.scs");
        Assert.Equal(ActionKind.Connect, Assert.Single(script.Actions).Kind);
    }

    [Fact]
    public void ErrorsNameTheLine()
    {
        var unknown = Assert.Throws<ScriptFormatException>(() => ScriptParser.Parse("[Client] A\n\tjid: a@localhost\n---\nB connects\n", "x.scs"));
        Assert.Equal(4, unknown.Line);
        Assert.Contains("x.scs:4", unknown.Message, StringComparison.Ordinal);

        var badXml = Assert.Throws<ScriptFormatException>(() => ScriptParser.Parse("[Client] A\n\tjid: a@localhost\n---\nA sends:\n\t<presence>\n\t<status>\n\t</presence>\n", "x.scs"));
        Assert.InRange(badXml.Line, 5, 7);

        Assert.Throws<ScriptFormatException>(() => ScriptParser.Parse("[Client] A\n\tjid: a@localhost\n---\nA sends:\nA connects\n", "x.scs"));
    }

    [Fact]
    public void ParsesEveryKnownScript()
    {
        foreach (var path in Running.ScriptCatalog.Default.Scripts.Values)
        {
            var script = ScriptParser.ParseFile(path);
            Assert.NotEmpty(script.Clients);
            Assert.All(script.Actions.Where(a => a.Kind is ActionKind.Send or ActionKind.Receive), a => Assert.NotEmpty(a.Stanzas));
        }
    }

    [Fact]
    public void BasicMessageNamesJulietsPhone()
    {
        var path = Running.ScriptCatalog.Default.Scripts.GetValueOrDefault("basic_message.scs");
        if (path is null)
        {
            return; // the shared scripts are not beside this checkout
        }

        var script = ScriptParser.ParseFile(path);
        Assert.Contains(script.Actions, a => a.Client.Name == "Juliet's phone" && a.Kind == ActionKind.Send);
        Assert.Equal("mobile", script.Clients.Single(c => c.Name == "Juliet's phone").Resource);
    }
}
