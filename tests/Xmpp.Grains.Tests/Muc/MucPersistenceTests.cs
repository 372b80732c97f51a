using Xmpp.Grains.Muc;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Muc;

/// <summary>
/// What survives a server restart (persistent rooms: configuration, affiliations, reserved
/// nicknames, subject, history) and what does not (occupants; temporary rooms).
/// </summary>
public sealed class MucPersistenceTests : IAsyncDisposable
{
    private const string Room = "crypt@" + GrainTestCluster.MucService;
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task An_owner_change_that_was_not_stored_is_answered_with_an_error_and_not_applied()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await romeo.CreateInstantRoomAsync("crypt", "Romeo");
        await romeo.MakePersistentAsync(Room);
        _cluster.Storage.FailWrites = true;

        var ban = await romeo.QueryAsync($"<iq type='set' id='b' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast' jid='tybalt@localhost'/></query></iq>");

        var error = StanzaError.FromStanza(ban)!;
        Assert.Equal(("error", StanzaError.TypeWait, "internal-server-error"), (ban.Type, error.Type, error.Condition));
        var bans = await romeo.QueryAsync($"<iq type='get' id='l' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast'/></query></iq>");
        Assert.Empty(bans.FirstElement()!.Elements("item", Namespaces.MucAdmin));
    }

    [Fact]
    public async Task A_persistent_room_keeps_configuration_affiliations_subject_and_history_across_a_restart()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await romeo.CreateInstantRoomAsync("crypt", "Romeo");
        var configured = await romeo.QueryAsync($"""
            <iq type='set' id='cfg' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#owner'>
              <x xmlns='jabber:x:data' type='submit'>
                <field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>
                <field var='muc#roomconfig_persistentroom'><value>1</value></field>
                <field var='muc#roomconfig_publicroom'><value>1</value></field>
                <field var='muc#roomconfig_roomname'><value>The Crypt</value></field>
                <field var='muc#roomconfig_roomsecret'><value>poison</value></field>
              </x></query></iq>
            """);
        Assert.Equal("result", configured.Type);
        var member = await romeo.QueryAsync($"<iq type='set' id='m' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='member' jid='juliet@localhost' nick='Jules'/></query></iq>");
        Assert.Equal("result", member.Type);
        var ban = await romeo.QueryAsync($"<iq type='set' id='b' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast' jid='tybalt@localhost'><reason>Murder</reason></item></query></iq>");
        Assert.Equal("result", ban.Type);
        await romeo.SendAsync($"<message type='groupchat' to='{Room}' id='s'><subject>Farewell</subject></message>");
        await romeo.NextAsync(m => m.Child("subject", Namespaces.Client) is not null);
        await romeo.SendAsync($"<message type='groupchat' to='{Room}' id='h1'><body>Thus with a kiss I die</body></message>");
        await romeo.NextAsync(m => m.Id == "h1");

        // The service hears of the room off the room's turn: the restart must not come before it did.
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(20))
        {
            var listing = await romeo.QueryAsync($"<iq type='get' id='d0' to='{GrainTestCluster.MucService}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
            if (listing.FirstElement()!.Elements("item", Namespaces.DiscoItems).Any(i => i.GetAttribute("name") == "The Crypt"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the service never listed the room");
        }

        await _cluster.RestartAsync();

        // Occupants are never persisted: the room is empty after the restart.
        var juliet = await _cluster.ConnectAsync("juliet", "tomb");
        var info = await juliet.QueryAsync($"<iq type='get' id='i' to='{Room}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var form = info.FirstElement()!.Child("x", Namespaces.DataForms)!;
        Assert.Equal("0", FieldValue(form, "muc#roominfo_occupants"));
        Assert.Equal("The Crypt", FieldValue(form, "muc#roomconfig_roomname"));
        Assert.Contains(info.FirstElement()!.Elements("feature", Namespaces.DiscoInfo), f => f.GetAttribute("var") == "muc_persistent");

        // The reserved nickname, the password, the subject and the history are all still there.
        var nurse = await _cluster.ConnectAsync("nurse", "kitchen");
        await nurse.JoinAsync("crypt", "Jules", "<password>poison</password>");
        var conflict = await nurse.NextAsync();
        Assert.Equal(("error", "conflict"), (conflict.Type, StanzaError.FromStanza(conflict)!.Condition));
        await juliet.JoinAsync("crypt", "Jules");
        Assert.Equal("not-authorized", StanzaError.FromStanza(await juliet.NextAsync())!.Condition);
        await juliet.JoinAsync("crypt", "Jules", "<password>poison</password>");
        var self = await juliet.NextAsync();
        var item = self.Child("x", Namespaces.MucUser)!.Child("item", Namespaces.MucUser)!;
        Assert.Equal(("member", "participant"), (item.GetAttribute("affiliation"), item.GetAttribute("role")));
        var history = await juliet.NextAsync();
        Assert.Equal("Thus with a kiss I die", history.ChildText("body", Namespaces.Client));
        Assert.Equal(Room, history.Child("delay", Namespaces.Delay)!.GetAttribute("from"));
        var subject = await juliet.NextAsync();
        Assert.Equal("Farewell", subject.ChildText("subject", Namespaces.Client));
        Assert.Equal(Room + "/Romeo", subject.From);

        var romeo2 = await _cluster.ConnectAsync("romeo", "laptop");
        var bans = await romeo2.QueryAsync($"<iq type='get' id='l' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast'/></query></iq>");
        var banned = Assert.Single(bans.FirstElement()!.Elements("item", Namespaces.MucAdmin));
        Assert.Equal(("tybalt@localhost", "Murder"), (banned.GetAttribute("jid"), banned.ChildText("reason", Namespaces.MucAdmin)));

        var items = await romeo2.QueryAsync($"<iq type='get' id='d' to='{GrainTestCluster.MucService}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        var listed = Assert.Single(items.FirstElement()!.Elements("item", Namespaces.DiscoItems));
        Assert.Equal((Room, "The Crypt"), (listed.GetAttribute("jid"), listed.GetAttribute("name")));
    }

    [Fact]
    public async Task A_temporary_room_disappears_with_its_last_occupant_and_never_touches_storage()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var writesBefore = _cluster.Storage.Writes;
        await romeo.CreateInstantRoomAsync("crypt", "Romeo");
        await romeo.SendAsync($"<message type='groupchat' to='{Room}' id='h1'><body>Hello</body></message>");
        await romeo.NextAsync(m => m.Id == "h1");
        await romeo.SendAsync($"<presence type='unavailable' to='{Room}/Romeo'/>");
        Assert.Equal("unavailable", (await romeo.NextAsync()).Type);

        var info = await romeo.QueryAsync($"<iq type='get' id='i' to='{Room}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.Equal(("error", "item-not-found"), (info.Type, StanzaError.FromStanza(info)!.Condition));
        var list = await _cluster.Grains.GetGrain<IMucServiceGrain>(GrainTestCluster.MucService).ListRoomsAsync();
        Assert.Empty(list);
        Assert.Equal(writesBefore, _cluster.Storage.Writes);
    }

    [Fact]
    public async Task A_room_that_stops_being_persistent_is_removed_from_storage()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await romeo.CreateInstantRoomAsync("crypt", "Romeo");
        await Configure(romeo, "muc#roomconfig_persistentroom", "1");
        Assert.True(await _cluster.Storage.ExistsAsync(new("room", Room, "room")));
        await Configure(romeo, "muc#roomconfig_persistentroom", "0");
        Assert.False(await _cluster.Storage.ExistsAsync(new("room", Room, "room")));

        await _cluster.RestartAsync();
        var juliet = await _cluster.ConnectAsync("juliet", "tomb");
        var info = await juliet.QueryAsync($"<iq type='get' id='i' to='{Room}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.Equal("item-not-found", StanzaError.FromStanza(info)!.Condition);
    }

    [Fact]
    public async Task Occupants_are_told_when_the_service_shuts_down()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await romeo.CreateInstantRoomAsync("crypt", "Romeo");

        await _cluster.RestartAsync();

        var removed = await romeo.NextAsync();
        Assert.Equal(("unavailable", Room + "/Romeo"), (removed.Type, removed.From));
        var x = removed.Child("x", Namespaces.MucUser)!;
        Assert.Equal(["332", "110"], x.Elements("status", Namespaces.MucUser).Select(s => s.GetAttribute("code")));
    }

    private static async Task Configure(GrainTestCluster.Client owner, string var, string value)
    {
        var reply = await owner.QueryAsync($"""
            <iq type='set' id='cfg-{var}' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#owner'>
              <x xmlns='jabber:x:data' type='submit'>
                <field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>
                <field var='{var}'><value>{value}</value></field>
              </x></query></iq>
            """);
        Assert.Equal("result", reply.Type);
    }

    private static string? FieldValue(Element form, string var) =>
        form.Elements("field", Namespaces.DataForms).First(f => f.GetAttribute("var") == var).ChildText("value", Namespaces.DataForms);
}
