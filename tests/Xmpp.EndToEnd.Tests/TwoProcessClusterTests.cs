using Azure.Data.Tables;
using Xmpp.Gateway.Tests;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// Two real server processes as one cluster on Azurite (Azure Tables storage; clustering through
/// the table service or through a real Redis): users on different processes subscribe, chat and
/// share a room; then one process is killed with SIGKILL. Its clients log in again on the other,
/// everything acknowledged is still there, and the surviving process's sessions carry on undisturbed.
/// </summary>
public sealed class TwoProcessClusterTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    // An Azurite per test: the stores' keys are the users' and rooms' names, the same in each test.
    private readonly Azurite _azurite = new();

    private const string Room = "verona@conference.localhost";

    private static readonly TimeSpan ReconnectWithin = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("AzureStorage")]
    [InlineData("Redis")]
    public async Task Users_of_two_processes_talk_and_the_loss_of_one_loses_nothing_acknowledged(string clusteringProvider)
    {
        await using var cluster = await ClusterProcesses.StartAsync(
            _azurite.ConnectionString, count: 2, clusteringProvider == "Redis" ? ("Redis", redis.ConnectionString) : null);
        foreach (var user in new[] { "romeo", "juliet", "nurse" })
        {
            await cluster.AddUserAsync(user, user + "-secret");
        }

        var romeo = await XmppTestClient.LoginAsync(cluster[0].C2sEndpoint, "romeo", "romeo-secret", "balcony");
        await using var juliet = await XmppTestClient.LoginAsync(cluster[1].C2sEndpoint, "juliet", "juliet-secret", "chamber");
        try
        {
            // Available first: subscription requests go to available resources (RFC 6121 §3.1.3).
            await romeo.SendAsync("<presence/>");
            await juliet.SendAsync("<presence/>");
            await SubscribeBothWaysAsync(romeo, juliet);

            await romeo.SendAsync("<message to='juliet@localhost' type='chat' id='m1'><body>Across the processes</body></message>");
            Assert.Equal("Across the processes", (await juliet.ReadUntilAsync(e => e.Name == "message")).ChildText("body", "jabber:client"));

            await CreateMembersOnlyRoomAsync(romeo, memberJid: "juliet@localhost");
            await JoinRoomAsync(juliet, "juliet");
            await romeo.ReadUntilAsync(e => e.Name == "presence" && e.From == $"{Room}/juliet");
            await romeo.SendAsync($"<message to='{Room}' type='groupchat' id='g1'><body>In the room</body></message>");
            Assert.Equal("In the room", (await juliet.ReadUntilAsync(e => e.Name == "message" && e.Type == "groupchat" && e.ChildText("body", "jabber:client") is not null)).ChildText("body", "jabber:client"));

            Assert.Equal("result", (await IqAsync(romeo, "<block xmlns='urn:xmpp:blocking'><item jid='tybalt@localhost'/></block>", "set")).Type);
            Assert.Equal("result", (await IqAsync(juliet, "<block xmlns='urn:xmpp:blocking'><item jid='paris@localhost'/></block>", "set")).Type);
            await romeo.SendAsync("<message to='nurse@localhost' type='chat' id='o1'><body>Tell her I wait</body></message>");
            await OfflineMessageStoredAsync("nurse@localhost"); // a message has no acknowledgement but its storing

            await cluster.KillAsync(0);
        }
        finally
        {
            await romeo.DisposeAsync();
        }

        // Juliet's session on the surviving process goes on: answers keep coming while the dead
        // process is declared dead and its grains' directory entries are recovered.
        var undisturbedUntil = DateTime.UtcNow + TimeSpan.FromSeconds(8);
        while (DateTime.UtcNow < undisturbedUntil)
        {
            var pong = await IqAsync(juliet, "<ping xmlns='urn:xmpp:ping'/>", "get", to: "localhost");
            Assert.True(pong.Type == "result", $"Juliet's ping failed: {pong}\n{cluster.Output}");
            await Task.Delay(500);
        }

        Assert.Equal(["paris@localhost"], await BlocklistAsync(juliet));

        // Romeo's client reconnects, to the process that is left.
        await using var romeoAgain = await LoginWithRetryAsync(cluster[1], "romeo", "romeo-secret", "balcony");
        Assert.Equal(["juliet@localhost"], await romeoAgain.RosterAsync("r1"));
        Assert.Equal(["tybalt@localhost"], await BlocklistAsync(romeoAgain));

        var config = await IqAsync(romeoAgain, "<query xmlns='http://jabber.org/protocol/muc#owner'/>", "get", to: Room);
        Assert.Equal("1", FieldValue(config, "muc#roomconfig_persistentroom"));
        Assert.Equal("1", FieldValue(config, "muc#roomconfig_membersonly"));
        var members = await IqAsync(romeoAgain, "<query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='member'/></query>", "get", to: Room);
        Assert.Equal(["juliet@localhost"], members.FirstElement()!.Elements().Select(i => i.GetAttribute("jid")!));

        // Juliet's client checks it is still in the room (XEP-0410) and joins again if the room
        // lost it with the killed process; then the room carries messages again.
        var selfPing = await IqAsync(juliet, "<ping xmlns='urn:xmpp:ping'/>", "get", to: $"{Room}/juliet");
        if (selfPing.Type == "error")
        {
            Assert.Equal("not-acceptable", StanzaError.FromStanza(selfPing)?.Condition);
            await JoinRoomAsync(juliet, "juliet");
        }

        await JoinRoomAsync(romeoAgain, "romeo");
        await romeoAgain.SendAsync($"<message to='{Room}' type='groupchat' id='g2'><body>Still here</body></message>");
        Assert.Equal("Still here", (await juliet.ReadUntilAsync(e => e.Name == "message" && e.ChildText("body", "jabber:client") == "Still here")).ChildText("body", "jabber:client"));

        await romeoAgain.SendAsync("<message to='juliet@localhost' type='chat' id='m2'><body>Back</body></message>");
        Assert.Equal("Back", (await juliet.ReadUntilAsync(e => e.Name == "message" && e.Type == "chat")).ChildText("body", "jabber:client"));

        // The message stored for the nurse before the kill is delivered at her first login.
        await using var nurse = await XmppTestClient.LoginAsync(cluster[1].C2sEndpoint, "nurse", "nurse-secret", "r");
        await nurse.SendAsync("<presence/>");
        Assert.Equal("Tell her I wait", (await nurse.ReadUntilAsync(e => e.Name == "message")).ChildText("body", "jabber:client"));
    }

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    /// <summary>Waits until the account's offline store holds a record in the state table.</summary>
    private async Task OfflineMessageStoredAsync(string bareJid)
    {
        var states = new TableServiceClient(_azurite.ConnectionString).GetTableClient("xmppstate");
        var deadline = DateTime.UtcNow + XmppTestClient.DefaultTimeout;
        while (!states.QueryAsync<TableEntity>(e => e.RowKey == "offline").ToBlockingEnumerable().Any(e => e.PartitionKey.EndsWith(bareJid, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"No offline record for {bareJid} was stored.");
            await Task.Delay(100);
        }
    }

    private static async Task SubscribeBothWaysAsync(XmppTestClient romeo, XmppTestClient juliet)
    {
        await romeo.SendAsync("<presence to='juliet@localhost' type='subscribe'/>");
        await juliet.ReadUntilAsync(e => e.Name == "presence" && e.Type == "subscribe");
        await juliet.SendAsync("<presence to='romeo@localhost' type='subscribed'/><presence to='romeo@localhost' type='subscribe'/>");
        await romeo.ReadUntilAsync(e => IsAvailableFrom(e, "juliet@localhost/chamber"));
        await romeo.ReadUntilAsync(e => e.Name == "presence" && e.Type == "subscribe");
        await romeo.SendAsync("<presence to='juliet@localhost' type='subscribed'/>");
        await juliet.ReadUntilAsync(e => IsAvailableFrom(e, "romeo@localhost/balcony")); // sent on approval (RFC 6121 §3.1.5)
    }

    private static async Task CreateMembersOnlyRoomAsync(XmppTestClient owner, string memberJid)
    {
        await JoinRoomAsync(owner, "romeo"); // creates it, locked until configured (XEP-0045 §10.1)
        var configured = await IqAsync(owner, """
            <query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>
              <field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>
              <field var='muc#roomconfig_persistentroom'><value>1</value></field>
              <field var='muc#roomconfig_membersonly'><value>1</value></field>
            </x></query>
            """, "set", to: Room);
        Assert.Equal("result", configured.Type);
        var granted = await IqAsync(owner, $"<query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='member' jid='{memberJid}'/></query>", "set", to: Room);
        Assert.Equal("result", granted.Type);
    }

    /// <summary>Joins and waits for the self-presence (status 110).</summary>
    private static async Task JoinRoomAsync(XmppTestClient client, string nick)
    {
        await client.SendAsync($"<presence to='{Room}/{nick}'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
        var self = await client.ReadUntilAsync(e => e.Name == "presence" && e.From == $"{Room}/{nick}");
        Assert.True(self.Type is null, $"Joining {Room} as {nick} failed: {self}");
    }

    private static async Task<Element> IqAsync(XmppTestClient client, string payload, string type, string? to = null)
    {
        var id = "q" + Guid.NewGuid().ToString("N");
        await client.SendAsync($"<iq type='{type}' id='{id}'{(to is null ? "" : $" to='{to}'")}>{payload}</iq>");
        return await client.ReadUntilAsync(e => e.Name == "iq" && e.Id == id);
    }

    private static async Task<string[]> BlocklistAsync(XmppTestClient client)
    {
        var list = await IqAsync(client, "<blocklist xmlns='urn:xmpp:blocking'/>", "get");
        return [.. list.FirstElement()!.Elements().Select(i => i.GetAttribute("jid")!)];
    }

    private static string? FieldValue(Element configForm, string var) =>
        configForm.FirstElement()!.FirstElement()!.Elements().FirstOrDefault(f => f.GetAttribute("var") == var)?.ChildText("value", "jabber:x:data");

    private static bool IsAvailableFrom(Element e, string fullJid) => e.Name == "presence" && e.Type is null && e.From == fullJid;

    /// <summary>A client's reconnect loop: the account's grains may still be moving for a moment.</summary>
    private static async Task<XmppTestClient> LoginWithRetryAsync(ServerProcess server, string user, string password, string resource)
    {
        var deadline = DateTime.UtcNow + ReconnectWithin;
        while (true)
        {
            try
            {
                return await XmppTestClient.LoginAsync(server.C2sEndpoint, user, password, resource);
            }
            catch (Exception e) when (DateTime.UtcNow < deadline && e is InvalidOperationException or BindFailedException or EndOfStreamException or IOException)
            {
                await Task.Delay(250);
            }
        }
    }
}
