using Xmpp.Protocol;

namespace Xmpp.Grains.Tests;

/// <summary>A user's grain holds its sessions in memory, so it must outlive idle periods while they are connected.</summary>
public sealed class SessionLifetimeTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new(options =>
    {
        options.CollectionAge = TimeSpan.FromMilliseconds(100);
        options.CollectionQuantum = TimeSpan.FromMilliseconds(25);
    });

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_connected_user_stays_reachable_after_many_idle_timeouts()
    {
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");

        await Task.Delay(1000);
        await romeo.SendAsync("<message to='juliet@localhost' type='chat'><body>still there?</body></message>");

        Assert.Equal("still there?", (await juliet.NextAsync()).ChildText("body", Namespaces.Client));
        await juliet.SendAsync("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
        Assert.Equal("r1", (await juliet.NextAsync()).Id); // her own stanzas still reach her grain
    }
}
