using Xmpp.Protocol;

namespace Xmpp.Grains.Tests;

/// <summary>What others may ask an account, and what only the owner may do (XEP-0054, XEP-0012, XEP-0030).</summary>
public sealed class AccountQueryTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Anyone_reads_a_vcard_but_only_the_owner_writes_it()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.SendAsync("<iq type='get' id='v0' to='romeo@localhost'><vCard xmlns='vcard-temp'/></iq>");
        Assert.Empty((await juliet.NextAsync()).FirstElement()!.Elements()); // none yet: an empty vCard

        await romeo.SendAsync("<iq type='set' id='v1'><vCard xmlns='vcard-temp'><FN>Romeo</FN></vCard></iq>");
        Assert.Equal("result", (await romeo.NextAsync()).Type);
        await juliet.SendAsync("<iq type='set' id='v2' to='romeo@localhost'><vCard xmlns='vcard-temp'><FN>Hacked</FN></vCard></iq>");
        Assert.Equal("error", (await juliet.NextAsync()).Type);
        await juliet.SendAsync("<iq type='get' id='v3' to='romeo@localhost'><vCard xmlns='vcard-temp'/></iq>");

        var vcard = await juliet.NextAsync();
        Assert.Equal("Romeo", vcard.FirstElement()!.ChildText("FN", Namespaces.VCard));
    }

    [Fact]
    public async Task Last_activity_and_disco_are_for_the_owner_and_subscribed_contacts_only()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var stranger = await _cluster.ConnectAsync("stranger", "street");
        await romeo.GoOnlineAsync();
        await romeo.SendAsync("<presence type='unavailable'><status>Goodbye</status></presence>");
        await romeo.NextAsync();

        await romeo.SendAsync("<iq type='get' id='l1'><query xmlns='jabber:iq:last'/></iq>");
        var own = await romeo.NextAsync();
        Assert.Equal("Goodbye", own.FirstElement()!.Text);
        Assert.NotNull(own.FirstElement()!.GetAttribute("seconds"));

        await stranger.SendAsync("<iq type='get' id='l2' to='romeo@localhost'><query xmlns='jabber:iq:last'/></iq>");
        Assert.Equal("forbidden", StanzaError.FromStanza(await stranger.NextAsync())!.Condition);
        await stranger.SendAsync("<iq type='get' id='d1' to='romeo@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.Equal("service-unavailable", StanzaError.FromStanza(await stranger.NextAsync())!.Condition);

        await romeo.SendAsync("<iq type='get' id='d2'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var info = await romeo.NextAsync();
        Assert.Equal("registered", info.FirstElement()!.Child("identity", Namespaces.DiscoInfo)!.GetAttribute("type"));
        Assert.Equal("romeo@localhost", info.From);
    }

    [Fact]
    public async Task The_server_answers_version_uptime_time_ping_and_refuses_the_unknown()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");

        await romeo.SendAsync("<iq type='get' id='s1' to='localhost'><query xmlns='jabber:iq:version'/></iq>");
        await romeo.SendAsync("<iq type='get' id='s2' to='localhost'><query xmlns='jabber:iq:last'/></iq>");
        await romeo.SendAsync("<iq type='get' id='s3' to='localhost'><time xmlns='urn:xmpp:time'/></iq>");
        await romeo.SendAsync("<iq type='get' id='s4' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        await romeo.SendAsync("<iq type='get' id='s5' to='localhost'><query xmlns='urn:example:unknown'/></iq>");

        var version = (await romeo.NextAsync()).FirstElement()!;
        Assert.Equal("Orleans.Xmpp", version.ChildText("name", Namespaces.Version));
        Assert.Null(version.Child("os", Namespaces.Version));
        Assert.NotNull((await romeo.NextAsync()).FirstElement()!.GetAttribute("seconds"));
        Assert.EndsWith("Z", (await romeo.NextAsync()).FirstElement()!.ChildText("utc", Namespaces.Time));
        var pong = await romeo.NextAsync();
        Assert.Equal(("result", "localhost"), (pong.Type, pong.From));
        Assert.Equal("service-unavailable", StanzaError.FromStanza(await romeo.NextAsync())!.Condition);
    }

    [Fact]
    public async Task Other_domains_are_unreachable_without_server_to_server()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");

        await romeo.SendAsync("<message type='chat' id='m1' to='someone@example.org'><body>hi</body></message>");

        var error = StanzaError.FromStanza(await romeo.NextAsync())!;
        Assert.Equal(("cancel", "not-allowed", "Communication with remote domains is not enabled"), (error.Type, error.Condition, error.Text));
    }
}
