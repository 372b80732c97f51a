using Xmpp.Grains.Muc;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Tests.Muc;
using Xmpp.Grains.Users;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests;

/// <summary>
/// Every method of every grain and observer interface, called through Orleans' external client so
/// that each argument, result and push is serialized on the way: a type without a codec or copier
/// only fails at run time, and then for the whole interface.
/// </summary>
public sealed class GrainInterfaceTests : IAsyncDisposable
{
    private const string Room = "square@" + GrainTestCluster.MucService;

    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task UserGrain_binds_processes_delivers_and_unbinds_and_the_session_hub_pushes_and_closes_and_the_relay_relays()
    {
        // BindAsync (a Jid result), ProcessOutboundAsync and the hub's PushAsync.
        var romeo = await _cluster.ConnectThroughClientAsync("romeo", "orchard");
        Assert.Equal("romeo@localhost/orchard", romeo.Jid.ToString());
        var roster = await romeo.QueryAsync("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
        Assert.Equal("result", roster.Type);
        Assert.NotNull(roster.Child("query", Namespaces.Roster));

        // DeliverAsync: a stanza from elsewhere, with a namespaced payload, arrives whole.
        var message = XmlText.Parse("<message from='juliet@localhost/balcony' to='romeo@localhost/orchard' type='chat' id='m1' xml:lang='en'><body>Wherefore art thou &amp; &lt;why&gt;?</body><x xmlns='urn:example'><y a='1'/></x></message>");
        await romeo.Grain.DeliverAsync([message]);
        var received = await romeo.NextAsync();
        Assert.Equal(message.ToString(), received.ToString());

        // DeliverAndLocateAsync, and RelayAsync through the relay it answered with (the grain's silo's).
        var located = XmlText.Parse("<message from='juliet@localhost/balcony' to='romeo@localhost/orchard' type='chat' id='m1b'><body>where are you?</body></message>");
        var relay = await romeo.Grain.DeliverAndLocateAsync([located]);
        Assert.Equal(located.ToString(), (await romeo.NextAsync()).ToString());
        var relayed = XmlText.Parse("<message from='juliet@localhost/balcony' to='romeo@localhost/orchard' type='chat' id='m2'><body>relayed</body></message>");
        Assert.Equal([RelayOutcome.Delivered], await relay.RelayAsync([new RelayedStanzas("romeo@localhost", [relayed])]));
        Assert.Equal(relayed.ToString(), (await romeo.NextAsync()).ToString());

        // A close through the hub: the same resource bound again closes the first session.
        var second = await _cluster.ConnectThroughClientAsync("romeo", "orchard");
        Assert.Equal(new StreamError(StreamError.Conflict, "Replaced by new connection"), await romeo.Session.ClosedAsync());

        // UnbindAsync, with a stanza queued for the session that never reached its client: stored
        // offline. The account forgets the session; a message to the full JID now goes nowhere.
        await second.DisconnectAsync(XmlText.Parse("<message from='juliet@localhost/balcony' to='romeo@localhost/orchard' type='chat'><body>never written</body></message>"));
        await _cluster.Storage.WaitUntilStoredAsync(new("user", "romeo@localhost", "offline"), "the undelivered message is stored offline");
        await second.Grain.DeliverAsync([XmlText.Parse("<message from='juliet@localhost/balcony' to='romeo@localhost/orchard' type='chat'><body>gone?</body></message>")]);
        await second.AssertNothingAsync();
    }

    [Fact]
    public async Task The_session_observer_takes_stanzas_and_a_close_through_its_reference()
    {
        var juliet = await _cluster.ConnectAsync("juliet", "balcony", listed: false);

        await juliet.Reference.SendAsync([XmlText.Parse("<message><body>one</body></message>"), XmlText.Parse("<message><body>two</body></message>")]);
        await juliet.Reference.CloseAsync(new StreamError(StreamError.SystemShutdown, "bye"));

        Assert.Equal("one", (await juliet.NextAsync()).ChildText("body", Namespaces.Client));
        Assert.Equal("two", (await juliet.NextAsync()).ChildText("body", Namespaces.Client));
        Assert.Equal(new StreamError(StreamError.SystemShutdown, "bye"), await juliet.Session.ClosedAsync());
    }

    [Fact]
    public async Task RoomGrain_and_MucServiceGrain_answer_every_method()
    {
        var client = await _cluster.ExternalClientAsync();
        var owner = await _cluster.ConnectThroughClientAsync("romeo", "orchard");

        // RoomGrain.HandleAsync (through the router) and the pushes it makes.
        await owner.CreateInstantRoomAsync("square", "Romeo");
        var room = client.GetGrain<IRoomGrain>(Room);

        // HandleAsync called directly, with a batch: each stanza is handled, in order.
        await room.HandleAsync(
        [
            new RoutedStanza(XmlText.Parse($"<message type='groupchat' id='g1' from='{owner.Jid}' to='{Room}'><body>one</body></message>"), null),
            new RoutedStanza(XmlText.Parse($"<message type='groupchat' id='g2' from='{owner.Jid}' to='{Room}'><body>two</body></message>"), null),
        ]);
        Assert.Equal("g1", (await owner.NextAsync()).Id);
        Assert.Equal("g2", (await owner.NextAsync()).Id);

        // GetListingAsync: a RoomListing result.
        var listing = await room.GetListingAsync();
        Assert.NotNull(listing);
        Assert.Equal((Room, true, false), (listing.Jid, listing.Exists, listing.Persistent));

        // SetAffiliationAsync: null on success, else the error (type:condition).
        Assert.Null(await room.SetAffiliationAsync("juliet@localhost", "member", "welcome"));
        Assert.Equal("modify:not-acceptable", await room.SetAffiliationAsync("juliet@localhost", "emperor", null));

        // MucServiceGrain: ListRoomsAsync, RoomsChangedAsync and HandleAsync.
        var service = client.GetGrain<IMucServiceGrain>(GrainTestCluster.MucService);
        Assert.Contains(Room, await service.ListRoomsAsync());
        await service.RoomsChangedAsync([new RoomListing { Jid = "hall@" + GrainTestCluster.MucService, Name = "Hall", Public = true, Persistent = true, Exists = true }]);
        Assert.Contains("hall@" + GrainTestCluster.MucService, await service.ListRoomsAsync());
        await service.HandleAsync([XmlText.Parse($"<iq type='get' id='items' from='{owner.Jid}' to='{GrainTestCluster.MucService}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>")]);
        var items = await owner.NextAsync(s => s.Id == "items");
        Assert.Equal("result", items.Type);

        // DestroyAsync: true for a room, then false: it is gone.
        Assert.True(await room.DestroyAsync(null, "closing time"));
        Assert.False(await room.DestroyAsync(null, null));
        Assert.Null(await room.GetListingAsync());
    }
}
