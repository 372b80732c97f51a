using Xmpp.Protocol;

namespace Xmpp.Grains.Tests;

/// <summary>XEP-0191, enforced by the blocker's grain in both directions.</summary>
public sealed class BlockingTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Block_pushes_to_interested_resources_and_unblock_all_clears_the_list()
    {
        var laptop = await _cluster.ConnectAsync("romeo", "laptop");
        var phone = await _cluster.ConnectAsync("romeo", "phone");
        await phone.SendAsync("<iq type='get' id='b0'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
        Assert.Empty((await phone.NextAsync()).FirstElement()!.Elements());

        await laptop.SendAsync("<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='Tybalt@LOCALHOST'/><item jid='example.org'/></block></iq>");

        Assert.Equal(("result", "b1"), ((await laptop.NextAsync()).Type, "b1"));
        var push = await phone.NextAsync();
        Assert.Equal(("set", "block"), (push.Type, push.FirstElement()!.Name));
        Assert.Equal("tybalt@localhost", push.FirstElement()!.FirstElement()!.GetAttribute("jid"));
        await laptop.AssertNothingAsync(); // the laptop never asked for the list

        await laptop.SendAsync("<iq type='set' id='b2'><unblock xmlns='urn:xmpp:blocking'/></iq>");
        await laptop.NextAsync();
        Assert.Equal("unblock", (await phone.NextAsync()).FirstElement()!.Name);
        await phone.SendAsync("<iq type='get' id='b3'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
        Assert.Empty((await phone.NextAsync()).FirstElement()!.Elements());
    }

    [Fact]
    public async Task Blocked_contacts_cannot_reach_the_blocker_and_the_blocker_cannot_reach_them()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var tybalt = await _cluster.ConnectAsync("tybalt", "sword");
        await romeo.GoOnlineAsync();
        await romeo.SendAsync("<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='tybalt@localhost'/></block></iq>");
        await romeo.NextAsync();

        await tybalt.SendAsync("<message type='chat' id='m1' to='romeo@localhost'><body>draw</body></message>");
        await tybalt.SendAsync("<iq type='get' id='q1' to='romeo@localhost'><vCard xmlns='vcard-temp'/></iq>");
        await romeo.SendAsync("<message type='chat' id='m2' to='tybalt@localhost'><body>no</body></message>");

        Assert.Equal("service-unavailable", StanzaError.FromStanza(await tybalt.NextAsync())!.Condition);
        Assert.Equal("service-unavailable", StanzaError.FromStanza(await tybalt.NextAsync())!.Condition);
        var own = StanzaError.FromStanza(await romeo.NextAsync())!;
        Assert.Equal(("cancel", "not-acceptable", "You have blocked this JID"), (own.Type, own.Condition, own.Text));
        Assert.Equal("blocked", own.ApplicationCondition?.Name);
        await romeo.AssertNothingAsync();
    }

    [Fact]
    public async Task Blocking_a_domain_blocks_its_users_and_malformed_jids_are_refused()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await romeo.SendAsync("<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='localhost'/></block></iq>");
        await romeo.NextAsync();
        await romeo.SendAsync("<message type='chat' id='m1' to='juliet@localhost'><body>hi</body></message>");
        Assert.Equal("not-acceptable", StanzaError.FromStanza(await romeo.NextAsync())!.Condition);

        await romeo.SendAsync("<iq type='set' id='b2'><block xmlns='urn:xmpp:blocking'><item jid='@@bad'/></block></iq>");
        Assert.Equal("jid-malformed", StanzaError.FromStanza(await romeo.NextAsync())!.Condition);
        await romeo.SendAsync("<iq type='set' id='b3'><block xmlns='urn:xmpp:blocking'/></iq>");
        Assert.Equal("bad-request", StanzaError.FromStanza(await romeo.NextAsync())!.Condition);
    }
}
