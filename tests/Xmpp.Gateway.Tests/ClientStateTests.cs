using Microsoft.Extensions.DependencyInjection;
using Xmpp.Gateway.Sessions;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>Client state indication (XEP-0352): an inactive client is not woken for presence.</summary>
public sealed class ClientStateTests
{
    private const int Contacts = 10;
    private const int ChangesEach = 10;

    [Fact]
    public async Task Client_state_indication_is_offered_after_login()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("romeo", "pencil");
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Null(client.Features!.Child("csi", Namespaces.ClientState));
        Assert.Null(await client.AuthenticateAsync("SCRAM-SHA-256", "romeo", "pencil")); // restarts the stream
        Assert.NotNull(client.Features!.Child("csi", Namespaces.ClientState));
    }

    [Fact]
    public async Task An_inactive_client_gets_a_presence_burst_as_each_contacts_latest_in_one_write_when_a_message_arrives()
    {
        await using var server = await TestServer.StartAsync();
        var (romeo, contacts) = await ConnectAsync(server);
        await romeo.SendAsync("<inactive xmlns='urn:xmpp:csi:0'/>");
        await romeo.SendAsync("<iq type='get' id='after' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        await romeo.ReadUntilAsync(e => e.Id == "after"); // the server read <inactive/> before this
        var session = server.Services.GetRequiredService<SessionTracker>().Sessions.Single(s => s.Jid?.ToString() == "romeo@localhost/phone");
        await Eventually.WaitUntilAsync(() => session.PendingSendBytes == 0);
        var writesBefore = session.Writes;

        await BurstAsync(contacts);
        await contacts[0].SendAsync("<message to='romeo@localhost/phone' type='chat' id='wake'><body>Are you there?</body></message>");

        var presences = new List<Element>();
        Element next;
        while ((next = await romeo.ReadElementAsync()).Id != "wake")
        {
            presences.Add(next);
        }

        Assert.Equal(Contacts, presences.Count);
        Assert.All(presences, p => Assert.Equal($"status {ChangesEach - 1}", p.ChildText("status", Namespaces.Client)));
        Assert.All(presences, p => Assert.NotNull(p.Child("delay", Namespaces.Delay)));
        Assert.Equal(1, session.Writes - writesBefore);
        Console.WriteLine($"CSI: {Contacts * ChangesEach} presence changes reached the inactive client as {presences.Count} stanzas in {session.Writes - writesBefore} write(s)");

        // Active again: presence flows as it comes.
        await romeo.SendAsync("<active xmlns='urn:xmpp:csi:0'/>");
        await contacts[1].SendAsync("<presence to='romeo@localhost/phone'><status>back</status></presence>");
        Assert.Equal("back", (await romeo.ReadUntilAsync(e => e.Name == Stanza.Presence)).ChildText("status", Namespaces.Client));
    }

    [Fact]
    public async Task Without_client_state_indication_each_presence_change_reaches_the_client()
    {
        await using var server = await TestServer.StartAsync();
        var (romeo, contacts) = await ConnectAsync(server);
        var session = server.Services.GetRequiredService<SessionTracker>().Sessions.Single(s => s.Jid?.ToString() == "romeo@localhost/phone");
        var writesBefore = session.Writes;

        await BurstAsync(contacts);
        var received = new List<Element>();
        while (received.Count < Contacts * ChangesEach)
        {
            received.Add(await romeo.ReadUntilAsync(e => e.Name == Stanza.Presence));
        }

        Console.WriteLine($"Without CSI: {Contacts * ChangesEach} presence changes reached the client as {received.Count} stanzas in {session.Writes - writesBefore} write(s)");
        Assert.All(received, p => Assert.Null(p.Child("delay", Namespaces.Delay))); // none waited
    }

    [Fact]
    public async Task Unimportant_stanzas_wait_and_important_ones_do_not()
    {
        static Element Parse(string xml) => XmlText.Parse(xml);
        Assert.False(ClientStateBuffer.IsImportant(Parse("<presence xmlns='jabber:client'/>")));
        Assert.False(ClientStateBuffer.IsImportant(Parse("<message xmlns='jabber:client'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>")));
        Assert.False(ClientStateBuffer.IsImportant(Parse("<message xmlns='jabber:client' type='headline'><body>news</body></message>")));
        Assert.True(ClientStateBuffer.IsImportant(Parse("<presence xmlns='jabber:client' type='subscribe'/>")));
        Assert.True(ClientStateBuffer.IsImportant(Parse("<message xmlns='jabber:client'><body>hi</body></message>")));
        Assert.True(ClientStateBuffer.IsImportant(Parse("<message xmlns='jabber:client'><propose xmlns='urn:xmpp:jingle-message:0' id='c'/></message>")));
        Assert.True(ClientStateBuffer.IsImportant(Parse("<iq xmlns='jabber:client' type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>")));
        Assert.True(ClientStateBuffer.IsImportant(Parse("<message xmlns='jabber:client'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'><body>copy</body></message></forwarded></received></message>")));

        // A received carbon is judged by the message it copies; a sent one always goes (mod_csi_simple).
        Assert.False(ClientStateBuffer.IsImportant(Parse("<message xmlns='jabber:client'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'><composing xmlns='http://jabber.org/protocol/chatstates'/></message></forwarded></received></message>")));
        Assert.True(ClientStateBuffer.IsImportant(Parse("<message xmlns='jabber:client'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'><composing xmlns='http://jabber.org/protocol/chatstates'/></message></forwarded></sent></message>")));
    }

    [Fact]
    public void Of_each_contact_only_the_latest_presence_and_bare_chat_state_wait_however_many_came()
    {
        static Element Parse(string xml) => XmlText.Parse(xml);
        var buffer = new ClientStateBuffer("romeo@localhost", TimeProvider.System);

        // A night of presence changes from three contacts: the buffer keeps the latest of each, in order.
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Empty(buffer.Pass([Parse($"<presence xmlns='jabber:client' from='c{i % 3}@localhost/r' id='p{i}'/>")]));
        }

        // A receipt that comes with a chat state is not replaced by the next chat state.
        Assert.Empty(buffer.Pass([Parse("<message xmlns='jabber:client' from='c0@localhost/r' id='receipt'><active xmlns='http://jabber.org/protocol/chatstates'/><received xmlns='urn:xmpp:receipts' id='m1'/></message>")]));
        Assert.Empty(buffer.Pass([Parse("<message xmlns='jabber:client' from='c0@localhost/r' id='typing'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>")]));
        Assert.Empty(buffer.Pass([Parse("<message xmlns='jabber:client' from='c0@localhost/r' id='paused'><paused xmlns='http://jabber.org/protocol/chatstates'/></message>")]));

        Assert.Equal(["p9997", "p9998", "p9999", "receipt", "paused"], buffer.TakeAll().Select(e => e.Id));
    }

    private static async Task<(XmppTestClient Romeo, List<XmppTestClient> Contacts)> ConnectAsync(TestServer server)
    {
        await server.AddUserAsync("romeo", "pencil");
        var romeo = await server.LoginAsync("romeo", "pencil", "phone");
        var contacts = new List<XmppTestClient>();
        for (var i = 0; i < Contacts; i++)
        {
            await server.AddUserAsync($"contact{i}", "pencil");
            contacts.Add(await server.LoginAsync($"contact{i}", "pencil", "desk"));
        }

        return (romeo, contacts);
    }

    /// <summary>Each contact changes its presence (directed to Romeo) <see cref="ChangesEach"/> times.</summary>
    private static async Task BurstAsync(List<XmppTestClient> contacts)
    {
        for (var change = 0; change < ChangesEach; change++)
        {
            foreach (var contact in contacts)
            {
                await contact.SendAsync($"<presence to='romeo@localhost/phone'><status>status {change}</status></presence>");
            }
        }

        // Each contact's last change has reached Romeo's session when a round trip after it returns.
        foreach (var contact in contacts)
        {
            await contact.SendAsync("<iq type='get' id='sync' to='romeo@localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            await contact.ReadUntilAsync(e => e.Id == "sync");
        }
    }
}
