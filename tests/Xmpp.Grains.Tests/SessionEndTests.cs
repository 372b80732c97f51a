using Xmpp.Protocol;

namespace Xmpp.Grains.Tests;

/// <summary>What happens to sessions when their account's activation goes, or a newer bind replaces them.</summary>
public sealed class SessionEndTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Sessions_of_an_activation_that_Orleans_deactivates_are_closed_not_forgotten()
    {
        var local = await _cluster.ConnectAsync("juliet", "balcony");
        var remote = await _cluster.ConnectAsync("juliet", "garden", listed: false);

        await _cluster.DeactivateAsync(local.Grain);

        Assert.Equal(StreamError.SystemShutdown, (await local.Session.ClosedAsync()).Condition);
        Assert.Equal(StreamError.SystemShutdown, (await remote.Session.ClosedAsync()).Condition);
    }

    [Fact]
    public async Task Stanzas_of_a_replaced_session_still_on_their_way_are_dropped()
    {
        var old = await _cluster.ConnectAsync("romeo", "laptop");
        var replacing = await _cluster.ConnectAsync("romeo", "laptop");

        await old.SendAsync("<iq type='get' id='late'><query xmlns='jabber:iq:roster'/></iq>");

        await replacing.AssertNothingAsync();
        await replacing.SendAsync("<iq type='get' id='mine'><query xmlns='jabber:iq:roster'/></iq>");
        Assert.Equal("mine", (await replacing.NextAsync()).Id);
    }
}
