using Xmpp.Protocol.Xml;
using Xmpp.Scansion.Running;
using Xmpp.Scansion.Scripts;

namespace Xmpp.Scansion.Unit;

/// <summary>The runner end to end over real sockets, against <see cref="FakeXmppServer"/>.</summary>
public sealed class ScriptRunnerTests
{
    private const string Header = """
        # test
        [Client] Romeo
        	jid: romeo@localhost
        	password: x

        [Client] Romeo's phone
        	jid: romeo@localhost/ignored
        	password: x
        	resource: phone
        -----

        """;

    // Generous where a stanza is expected (a loaded machine may be slow to deliver it), short only
    // where a test waits for silence or for a receive to give up.
    private static readonly RunnerSettings Fast = new() { NothingWait = TimeSpan.FromMilliseconds(300), ReceiveTimeout = TimeSpan.FromSeconds(10), DisconnectWait = TimeSpan.FromMilliseconds(500) };

    private static async Task<List<string>> RunAsync(FakeXmppServer server, string actions, RunnerSettings? settings = null)
    {
        var log = new List<string>();
        var script = ScriptParser.Parse(Header + actions, "test.scs");
        var runner = new ScriptRunner(script, "127.0.0.1", server.Port, settings ?? Fast, line =>
        {
            lock (log)
            {
                log.Add(line);
            }
        });
        await runner.RunAsync();
        return log;
    }

    private static Element Reply(Element to, string name, string? id = null) =>
        new Element(name) { To = to.From, Id = id ?? to.Id };

    [Fact]
    public async Task BindsTheRequestedResourceAndSubstitutesJids()
    {
        await using var server = new FakeXmppServer();
        server.OnStanza = (connection, stanza) => connection.WriteAsync(Reply(stanza, "message").AddTextChild("body", "jabber:client", stanza.To ?? "none"));

        await RunAsync(server, """
            Romeo's phone connects
            Romeo's phone sends:
            	<message to="${Romeo's phone's full JID}"/>
            Romeo's phone receives:
            	<message to="${Romeo's phone's full JID}"><body>romeo@localhost/phone</body></message>
            Romeo's phone disconnects
            """);
    }

    [Fact]
    public async Task AStanzaInTheSameBurstAsAnExpectedOneIsTolerated()
    {
        await using var server = new FakeXmppServer();
        server.OnStanza = (connection, stanza) => stanza.Name == "presence"
            ? connection.WriteAsync(Reply(stanza, "presence"), new Element("message") { Id = "unasked" })
            : connection.WriteAsync(Reply(stanza, "iq").SetAttribute("type", "result"));

        var log = await RunAsync(server, """
            Romeo connects
            Romeo sends:
            	<presence/>
            Romeo receives:
            	<presence/>
            Romeo sends:
            	<iq type="get" id="q"/>
            Romeo receives:
            	<iq type="result" id="q"/>
            """);

        Assert.Contains(log, l => l.Contains("drops", StringComparison.Ordinal) && l.Contains("unasked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheNextStanzaOfTheBurstGoesToAnImmediatelyFollowingReceive()
    {
        await using var server = new FakeXmppServer();
        server.OnStanza = (connection, stanza) => connection.WriteAsync(new Element("message") { Id = "1" }, new Element("message") { Id = "2" });

        await RunAsync(server, """
            Romeo connects
            Romeo sends:
            	<presence/>
            Romeo receives:
            	<message id="1"/>
            Romeo receives:
            	<message id="2"/>
            """);
    }

    [Fact]
    public async Task AStanzaWrittenSeparatelyBeforeTheExpectedOneFails()
    {
        await using var server = new FakeXmppServer();
        server.OnStanza = async (connection, stanza) =>
        {
            if (stanza.Name == "presence")
            {
                await connection.WriteAsync(Reply(stanza, "presence"));
            }
            else
            {
                // Whatever reads the runner makes of these two writes, "unasked" comes first.
                await connection.WriteAsync(new Element("message") { Id = "unasked" });
                await Task.Delay(300);
                await connection.WriteAsync(Reply(stanza, "iq").SetAttribute("type", "result"));
            }
        };

        var failure = await Assert.ThrowsAsync<ScansionFailureException>(() => RunAsync(server, """
            Romeo connects
            Romeo sends:
            	<presence/>
            Romeo receives:
            	<presence/>
            Romeo sends:
            	<iq type="get" id="q"/>
            Romeo receives:
            	<iq type="result" id="q"/>
            """));

        Assert.Equal(18, failure.Line);
        Assert.Contains("test.scs:18", failure.Message, StringComparison.Ordinal);
        Assert.Contains("unasked", failure.Received, StringComparison.Ordinal);
        Assert.Contains("<iq type='result' id='q'/>", failure.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherActionDropsTheRestOfTheChunk()
    {
        await using var server = new FakeXmppServer();
        server.OnStanza = (connection, stanza) => connection.WriteAsync(new Element("message") { Id = "1" }, new Element("message") { Id = "2" });

        // Anything between the two receives (here a send of the other client) drops message 2.
        var failure = await Assert.ThrowsAsync<ScansionFailureException>(() => RunAsync(server, """
            Romeo connects
            Romeo's phone connects
            Romeo sends:
            	<presence/>
            Romeo receives:
            	<message id="1"/>
            Romeo's phone sends:
            	<iq type="result" id="x"/>
            Romeo receives:
            	<message id="2"/>
            """, Fast with { ReceiveTimeout = TimeSpan.FromSeconds(2) }));

        Assert.Contains("received nothing", failure.Message, StringComparison.Ordinal);
        Assert.Contains("dropped earlier", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceivesNothingPassesOnSilenceAndFailsOnAStanza()
    {
        await using var server = new FakeXmppServer();
        server.OnStanza = (connection, stanza) => stanza.Name == "message" ? connection.WriteAsync(Reply(stanza, "message")) : Task.CompletedTask;

        await RunAsync(server, """
            Romeo connects
            Romeo sends:
            	<presence/>
            Romeo receives: nothing
            """);

        var failure = await Assert.ThrowsAsync<ScansionFailureException>(() => RunAsync(server, """
            Romeo connects
            Romeo sends:
            	<message id="m"/>
            Romeo receives: nothing
            """, Fast with { NothingWait = TimeSpan.FromSeconds(10) })); // fails as soon as the echo arrives
        Assert.Equal(14, failure.Line);
    }

    [Fact]
    public async Task AMismatchFailsAtOnceWithBothStanzas()
    {
        await using var server = new FakeXmppServer();
        server.OnStanza = (connection, stanza) => connection.WriteAsync(Reply(stanza, "iq").SetAttribute("type", "error"));

        var failure = await Assert.ThrowsAsync<ScansionFailureException>(() => RunAsync(server, """
            Romeo connects
            Romeo sends:
            	<iq type="get" id="v"/>
            Romeo receives:
            	<iq type="result" id="v"/>
            """));

        Assert.Equal(14, failure.Line);
        Assert.Contains("type='error'", failure.Received, StringComparison.Ordinal);
        Assert.Contains("attribute type is 'error', expected 'result'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisconnectingTwiceIsANoOpAndSendsAfterwardsAreDropped()
    {
        await using var server = new FakeXmppServer();
        var log = await RunAsync(server, """
            Romeo connects
            Romeo disconnects
            Romeo disconnects
            Romeo sends:
            	<presence type="unavailable"/>
            Romeo disconnects
            """);

        Assert.Contains(log, l => l.StartsWith("warning: Romeo sends after it disconnected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StanzasAfterTheLastReceiveAreIgnored()
    {
        await using var server = new FakeXmppServer();
        server.OnStanza = (connection, stanza) => connection.WriteAsync(new Element("message") { Id = "ignored" });
        await RunAsync(server, """
            Romeo connects
            Romeo sends:
            	<presence/>
            """);
    }

    [Fact]
    public async Task CapturedValuesAreRecorded()
    {
        await using var server = new FakeXmppServer();
        server.OnStanza = (connection, stanza) => connection.WriteAsync(Reply(stanza, "iq").SetAttribute("type", "result").SetAttribute("x", "captured-value"));
        var script = ScriptParser.Parse(Header + """
            Romeo connects
            Romeo sends:
            	<iq type="get" id="c"/>
            Romeo receives:
            	<iq id="c" x="{scansion:capture:thing}"/>
            """, "test.scs");
        var runner = new ScriptRunner(script, "127.0.0.1", server.Port, Fast);
        await runner.RunAsync();
        Assert.Equal("captured-value", runner.Variables.Captures["thing"]);
    }
}
