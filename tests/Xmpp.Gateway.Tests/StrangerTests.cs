using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>Messages from strangers (Xmpp:Strangers): off by default; dropped or refused when asked, rooms the user is in excepted.</summary>
public sealed class StrangerTests
{
    [Theory]
    [InlineData("Drop")]
    [InlineData("Refuse")]
    public async Task A_stranger_is_not_heard_a_contact_and_a_room_are(string policy)
    {
        await using var server = await TestServer.StartAsync($"--Xmpp:Strangers={policy}", "--management-port", "-1");
        foreach (var name in new[] { "juliet", "tybalt", "romeo" })
        {
            await server.AddUserAsync(name, "pencil");
        }

        await using var juliet = await server.LoginAsync("juliet", "pencil", "phone");
        await juliet.SendAsync("<iq type='set' id='add'><query xmlns='jabber:iq:roster'><item jid='romeo@localhost'/></query></iq>");
        await juliet.ReadUntilAsync(e => e.Id == "add");
        await juliet.SendAsync("<presence to='verona@conference.localhost/Juliet'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        await juliet.ReadUntilAsync(e => e.Name == Stanza.Presence && e.From == "verona@conference.localhost/Juliet");
        await juliet.SendAsync("<iq type='set' id='open' to='verona@conference.localhost'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
        await juliet.ReadUntilAsync(e => e.Id == "open"); // an instant room, open to others
        await using var tybalt = await server.LoginAsync("tybalt", "pencil");
        await tybalt.SendAsync("<presence to='verona@conference.localhost/Tybalt'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        await tybalt.ReadUntilAsync(e => e.Name == Stanza.Presence && e.From == "verona@conference.localhost/Tybalt");
        await using var romeo = await server.LoginAsync("romeo", "pencil");

        await tybalt.SendAsync("<message to='juliet@localhost/phone' type='chat' id='direct'><body>I am a stranger</body></message>");
        if (policy == "Refuse")
        {
            Assert.Equal("service-unavailable", StanzaError.FromStanza(await tybalt.ReadUntilAsync(e => e.Id == "direct"))!.Condition);
        }

        await tybalt.SendAsync("<message to='verona@conference.localhost/Juliet' type='chat' id='pm'><body>A word in the room</body></message>");
        await romeo.SendAsync("<message to='juliet@localhost/phone' type='chat' id='contact'><body>A contact</body></message>");

        var heard = new HashSet<string?>();
        while (heard.Count < 2)
        {
            var message = await juliet.ReadUntilAsync(e => e.Name == Stanza.Message && e.Type == "chat");
            Assert.NotEqual("direct", message.Id);
            heard.Add(message.Id);
        }

        Assert.Equal(["contact", "pm"], heard.Order());
        var metrics = await MetricsScrape.ReadAsync(server.Server.ManagementEndpoint!);
        Assert.True(metrics.Value("xmpp_limit_hits_total", ("limit", "strangers")) >= 1, metrics.Text);
    }
}
