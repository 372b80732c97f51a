using Xmpp.Protocol;

namespace Xmpp.Grains.Tests.Muc;

/// <summary>Idle deactivation: an empty persistent room goes and comes back unnoticed; an occupied room stays.</summary>
public sealed class MucLifecycleTests : IAsyncDisposable
{
    private const string Room = "cell@" + GrainTestCluster.MucService;

    private readonly GrainTestCluster _cluster = new(collection: options =>
    {
        // Short, but long enough for the users' grains (which hold the test sessions) to stay.
        options.CollectionAge = TimeSpan.FromMilliseconds(1500);
        options.CollectionQuantum = TimeSpan.FromMilliseconds(100);
    });

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task An_idle_persistent_room_deactivates_and_reactivates_with_its_history_and_subject()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await romeo.CreateInstantRoomAsync("cell", "Romeo");
        await romeo.MakePersistentAsync(Room);
        await romeo.SendAsync($"<message type='groupchat' to='{Room}' id='s'><subject>Banished</subject></message>");
        await romeo.NextAsync(m => m.Child("subject", Namespaces.Client) is not null);
        await romeo.SendAsync($"<message type='groupchat' to='{Room}' id='h1'><body>Hence banished is banish'd from the world</body></message>");
        await romeo.NextAsync(m => m.Id == "h1");
        await romeo.SendAsync($"<presence type='unavailable' to='{Room}/Romeo'/>");
        Assert.Equal("unavailable", (await romeo.NextAsync()).Type);

        // The history is written only when the idle room's grain deactivates.
        await _cluster.Storage.WaitUntilStoredAsync(new("room", Room, "history"), "the idle room is deactivated");

        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.JoinAsync("cell", "Juliet");
        Assert.Equal(Room + "/Juliet", (await juliet.NextAsync()).From);
        var history = await juliet.NextAsync();
        Assert.Equal("Hence banished is banish'd from the world", history.ChildText("body", Namespaces.Client));
        Assert.Equal("Banished", (await juliet.NextAsync()).ChildText("subject", Namespaces.Client));
    }

    [Fact]
    public async Task A_room_with_occupants_is_not_collected_while_idle()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await romeo.CreateInstantRoomAsync("cell", "Romeo");
        await juliet.JoinAsync("cell", "Juliet");
        await juliet.NextAsync(m => m.Child("subject", Namespaces.Client) is not null);

        await Task.Delay(TimeSpan.FromSeconds(4)); // several idle timeouts without a stanza

        // The occupants, which live only in the room's memory, are still there.
        var nurse = await _cluster.ConnectAsync("nurse", "kitchen");
        var info = await nurse.QueryAsync($"<iq type='get' id='i' to='{Room}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var occupants = info.FirstElement()!.Child("x", Namespaces.DataForms)!.Elements("field", Namespaces.DataForms)
            .First(f => f.GetAttribute("var") == "muc#roominfo_occupants").ChildText("value", Namespaces.DataForms);
        Assert.Equal("2", occupants);
    }
}
