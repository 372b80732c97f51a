using Xmpp.Protocol;

namespace Xmpp.Grains.Tests;

/// <summary>RFC 6121 §2: roster get, set, remove, versioning and pushes.</summary>
public sealed class RosterTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Set_is_answered_then_pushed_only_to_resources_that_fetched_the_roster()
    {
        var laptop = await _cluster.ConnectAsync("romeo", "laptop");
        var phone = await _cluster.ConnectAsync("romeo", "phone");
        await laptop.SendAsync("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
        var initial = await laptop.NextAsync();
        var initialVersion = initial.FirstElement()!.GetAttribute("ver");

        await laptop.SendAsync("<iq type='set' id='r2'><query xmlns='jabber:iq:roster'><item jid='Nurse@LOCALHOST' name='Nurse'><group>Staff</group></item></query></iq>");

        var result = await laptop.NextAsync();
        Assert.Equal(("result", "r2"), (result.Type, result.Id));
        var push = await laptop.NextAsync();
        Assert.Equal("set", push.Type);
        var item = push.FirstElement()!.Child("item", Namespaces.Roster)!;
        Assert.Equal("nurse@localhost", item.GetAttribute("jid"));
        Assert.Equal("none", item.GetAttribute("subscription"));
        Assert.Equal("Staff", item.ChildText("group", Namespaces.Roster));
        Assert.NotEqual(initialVersion, push.FirstElement()!.GetAttribute("ver"));
        await phone.AssertNothingAsync();
    }

    [Fact]
    public async Task Get_with_the_current_version_returns_an_empty_result()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await romeo.SendAsync("<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='nurse@localhost'/></query></iq>");
        await romeo.NextAsync();
        await romeo.SendAsync("<iq type='get' id='r2'><query xmlns='jabber:iq:roster'/></iq>");
        var full = await romeo.NextAsync();
        var version = full.FirstElement()!.GetAttribute("ver");
        Assert.Single(full.FirstElement()!.Elements());

        await romeo.SendAsync($"<iq type='get' id='r3'><query xmlns='jabber:iq:roster' ver='{version}'/></iq>");

        var upToDate = await romeo.NextAsync();
        Assert.Equal(("result", "r3"), (upToDate.Type, upToDate.Id));
        Assert.Null(upToDate.FirstElement());
    }

    [Theory]
    [InlineData("<item jid='a@localhost'/><item jid='b@localhost'/>", "bad-request")]
    [InlineData("<item jid='a@localhost/resource'/>", "bad-request")]
    [InlineData("<item jid='romeo@localhost'/>", "not-allowed")]
    [InlineData("<item jid='gone@localhost' subscription='remove'/>", "item-not-found")]
    [InlineData("<item jid='a@localhost'><group>x</group><group>x</group></item>", "bad-request")]
    public async Task Invalid_sets_are_refused(string items, string condition)
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");

        await romeo.SendAsync($"<iq type='set' id='bad'><query xmlns='jabber:iq:roster'>{items}</query></iq>");

        var error = await romeo.NextAsync();
        Assert.Equal(("error", "bad"), (error.Type, error.Id));
        Assert.Equal(condition, StanzaError.FromStanza(error)!.Condition);
    }

    [Fact]
    public async Task Remove_pushes_subscription_remove_and_cancels_both_directions()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await Subscriptions.MakeMutualAsync(romeo, juliet);
        await juliet.GoOnlineAsync();
        await romeo.SendAsync("<iq type='get' id='r0'><query xmlns='jabber:iq:roster'/></iq>");
        await romeo.NextAsync();

        await romeo.SendAsync("<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='juliet@localhost' subscription='remove'/></query></iq>");

        Assert.Equal("result", (await romeo.NextAsync()).Type);
        var push = await romeo.NextAsync();
        Assert.Equal("remove", push.FirstElement()!.FirstElement()!.GetAttribute("subscription"));
        var states = await Subscriptions.RosterAsync(juliet);
        Assert.Equal("none", states["romeo@localhost"]);
    }
}
