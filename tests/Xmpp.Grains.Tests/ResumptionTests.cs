using Xmpp.Grains.Tests.Muc;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests;

/// <summary>
/// XEP-0198 resumption as the account's grain does it: the session it knows hands itself over,
/// and the resource is the new connection's with nothing else changed. Through the external client,
/// so that the hand-over and its state cross the wire serialized, as between two servers.
/// </summary>
public sealed class ResumptionTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_resumed_session_keeps_its_resource_and_presence_and_gets_what_the_old_connection_still_receives()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var juliet = await _cluster.ConnectThroughClientAsync("juliet", "phone");
        await Subscriptions.MakeMutualAsync(romeo, juliet);
        await romeo.GoOnlineAsync();
        await juliet.GoOnlineAsync();
        await romeo.Session.DrainAsync();
        await juliet.Session.DrainAsync();

        var unacknowledged = XmlText.Parse("<message from='romeo@localhost/orchard' to='juliet@localhost/phone' type='chat' id='u1'><body>again</body><delay xmlns='urn:xmpp:delay' from='juliet@localhost' stamp='2026-01-01T00:00:00Z'/></message>");
        juliet.Session.ResumptionId = "secret";
        juliet.Session.HandOver = new SessionHandOver(HandOverStatus.HandedOver, 7, 3, [unacknowledged], []);

        var (wrong, _) = await _cluster.ResumeThroughClientAsync(juliet, "guessed", 3);
        Assert.Equal(HandOverStatus.NotFound, wrong.Status);

        var (handOver, resumed) = await _cluster.ResumeThroughClientAsync(juliet, "secret", 3);
        Assert.Equal(HandOverStatus.HandedOver, handOver.Status);
        Assert.Equal(3u, juliet.Session.HandedOverAt);
        Assert.Equal((7u, 3u), (handOver.Handled, handOver.Acknowledged));
        Assert.Equal(unacknowledged.ToString(), Assert.Single(handOver.Unacknowledged).ToString());

        // The contact saw nothing: the session never went away.
        await romeo.AssertNothingAsync();

        // What is sent to the full JID now goes to the new connection.
        await romeo.SendAsync("<message to='juliet@localhost/phone' type='chat' id='m1'><body>hello</body></message>");
        Assert.Equal("m1", (await resumed.NextAsync()).Id);
        await juliet.AssertNothingAsync();

        // What the old connection still sends is the session's, and what still reaches it is passed on.
        await juliet.SendAsync("<message to='romeo@localhost' type='chat' id='late-out'><body>sent before the drop</body></message>");
        Assert.Equal("late-out", (await romeo.NextAsync()).Id);
        await juliet.DisconnectAsync(XmlText.Parse("<presence from='romeo@localhost/orchard' to='juliet@localhost/phone'><show>away</show></presence>"));
        var passedOn = await resumed.NextAsync();
        Assert.Equal(Stanza.Presence, passedOn.Name);
        Assert.Equal("away", passedOn.ChildText("show", Namespaces.Client));
        await romeo.AssertNothingAsync(); // still online: the old connection's end did not unbind it

        // The new connection's end is the session's end.
        await resumed.DisconnectAsync();
        var unavailable = await romeo.NextAsync();
        Assert.Equal(("juliet@localhost/phone", "unavailable"), (unavailable.From, unavailable.Type));
    }

    [Fact]
    public async Task A_room_reaches_a_resumed_occupant_at_its_new_connection_once_it_hears_from_it()
    {
        const string room = "square@" + GrainTestCluster.MucService;
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        await romeo.CreateInstantRoomAsync("square", "Romeo");
        var juliet = await _cluster.ConnectThroughClientAsync("juliet", "phone");
        await juliet.JoinAsync("square", "Juliet");
        await juliet.NextAsync(m => m.Child("subject", Namespaces.Client) is not null);
        await romeo.Session.DrainAsync();
        juliet.Session.HandOver = new SessionHandOver(HandOverStatus.HandedOver, 0, 0, [], []);
        var (_, resumed) = await _cluster.ResumeThroughClientAsync(juliet, "id", 0);

        // Her first word in the room after the resumption tells it where she is now.
        await resumed.SendAsync($"<message type='groupchat' to='{room}' id='g1'><body>back</body></message>");
        Assert.Equal("g1", (await resumed.NextAsync()).Id);
        await romeo.SendAsync($"<message type='groupchat' to='{room}' id='g2'><body>welcome back</body></message>");
        Assert.Equal("g2", (await resumed.NextAsync(m => m.Id == "g2")).Id);
        await juliet.AssertNothingAsync();
    }
}
