using System.Security.Cryptography;
using System.Text;
using Xmpp.Grains.Tests.Muc;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using static Xmpp.Grains.Tests.PubSub.PubSubServiceTests;

namespace Xmpp.Grains.Tests.PubSub;

/// <summary>PEP (XEP-0163) on every account, with notifications filtered by entity capabilities (XEP-0115).</summary>
public sealed class PepTests : IAsyncDisposable
{
    private const string Nick = "http://jabber.org/protocol/nick";
    private const string DeviceList = "eu.siacs.conversations.axolotl.devicelist";

    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_first_publish_creates_the_node_and_a_resource_that_wants_it_gets_the_item_once_its_features_are_known()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var published = await romeo.QueryAsync(PublishNick("current", "Romeo"));
        Assert.Equal("current", published.Descendant("item")?.GetAttribute("id"));

        await romeo.SendAsync(CapsPresence(Caps.WantingNick));
        var query = await romeo.NextAsync();
        Assert.Equal(("disco", "romeo@localhost", "get"), (query.Id, query.From, query.Type));
        Assert.Equal(Caps.WantingNick.Node + "#" + Caps.WantingNick.Ver, query.FirstElement()!.GetAttribute("node"));
        Assert.Equal(Stanza.Presence, (await romeo.NextAsync()).Name); // the disco query comes first, as in Prosody

        await romeo.SendAsync(Caps.WantingNick.Answer("romeo@localhost"));
        var @event = await romeo.NextAsync();
        Assert.Equal(("headline", "romeo@localhost"), (@event.Type, @event.From));
        Assert.Equal("Romeo", @event.Descendant("nick")?.Text);
        Assert.Null(@event.Descendant("item")!.GetAttribute("publisher"));
    }

    [Fact]
    public async Task Contacts_with_a_presence_subscription_get_events_as_their_capabilities_ask_and_the_hash_is_asked_once()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        var nurse = await _cluster.ConnectAsync("nurse", "kitchen");
        await Subscriptions.MakeMutualAsync(romeo, juliet);
        await Subscriptions.MakeMutualAsync(romeo, nurse);
        await romeo.QueryAsync(PublishNick("current", "Romeo"));
        await GoOnlineWithCapsAsync(romeo, Caps.WantingNick);

        // Juliet's client has the same capabilities: Romeo's account knows them already and sends the last item.
        await juliet.SendAsync(CapsPresence(Caps.WantingNick));
        var last = await juliet.NextAsync(s => s.Name == Stanza.Message);
        Assert.Equal(("romeo@localhost", "Romeo"), (last.From, last.Descendant("nick")?.Text));

        // The nurse's client does not want nicknames: asked once, by her own account, it answers and gets nothing.
        await nurse.SendAsync(CapsPresence(Caps.WithoutNotify));
        var asked = await nurse.NextAsync(s => s.Id == "disco");
        Assert.Equal("nurse@localhost", asked.From);
        await nurse.SendAsync(Caps.WithoutNotify.Answer("nurse@localhost"));
        await Task.Delay(200);
        Assert.DoesNotContain(await nurse.Session.DrainAsync(), s => s.Id == "disco");

        // The account's own resource has the event before the publish's result (as from Prosody).
        await romeo.Session.DrainAsync();
        await romeo.SendAsync(PublishNick("current", "Montague"));
        Assert.Equal("Montague", (await romeo.NextAsync()).Descendant("nick")?.Text);
        Assert.Equal("pub-current", (await romeo.NextAsync()).Id);
        Assert.Equal("Montague", (await juliet.NextAsync(s => s.Name == Stanza.Message)).Descendant("nick")?.Text);
        var nurseGot = await nurse.Session.DrainAsync();
        Assert.DoesNotContain(nurseGot, s => s.Name == Stanza.Message);
        Assert.DoesNotContain(await juliet.Session.DrainAsync(), s => s.Id == "disco");
    }

    [Fact]
    public async Task Presence_access_refuses_strangers_and_an_open_node_from_publish_options_serves_them()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var tybalt = await _cluster.ConnectAsync("tybalt", "street");
        await romeo.QueryAsync(PublishNick("current", "Romeo"));

        var refused = await tybalt.QueryAsync($"<iq type='get' id='n1' to='romeo@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='{Nick}'/></pubsub></iq>");
        Assert.Equal(("not-authorized", "presence-subscription-required"), (Condition(refused), StanzaError.FromStanza(refused)!.ApplicationCondition!.Name));

        var open = "<publish-options><x xmlns='jabber:x:data' type='submit'>" + Field("FORM_TYPE", Namespaces.PubSubPublishOptions)
            + Field("pubsub#access_model", "open") + Field("pubsub#max_items", "max") + "</x></publish-options>";
        var devices = $"<iq type='set' id='d1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='{DeviceList}'><item id='current'><list xmlns='eu.siacs.conversations.axolotl'><device id='42'/></list></item></publish>{open}</pubsub></iq>";
        Assert.Equal("result", (await romeo.QueryAsync(devices)).Type);
        var fetched = await tybalt.QueryAsync($"<iq type='get' id='n2' to='romeo@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='{DeviceList}'/></pubsub></iq>");
        Assert.Equal("42", fetched.Descendant("device")?.GetAttribute("id"));

        var listed = await romeo.QueryAsync("<iq type='get' id='i1' to='romeo@localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        Assert.Equal([DeviceList, Nick], listed.FirstElement()!.Elements().Select(i => i.GetAttribute("node")).Order(StringComparer.Ordinal));
        var seenByStranger = await tybalt.QueryAsync("<iq type='get' id='i2' to='romeo@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.Equal("service-unavailable", Condition(seenByStranger)); // only contacts see the account's disco#info (as in Prosody)
        var info = await romeo.QueryAsync("<iq type='get' id='i3' to='romeo@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.Contains(info.FirstElement()!.Elements("identity", Namespaces.DiscoInfo), i => i.GetAttribute("category") == "pubsub" && i.GetAttribute("type") == "pep");
    }

    [Fact]
    public async Task Avatars_and_omemo_bundles_ride_on_pep()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        var tybalt = await _cluster.ConnectAsync("tybalt", "street");
        await Subscriptions.MakeMutualAsync(romeo, juliet);

        // XEP-0084: the data by its hash, then the metadata that announces it.
        var data = Convert.ToBase64String(new byte[40_000]);
        const string hash = "c03fd3a3a8b8bf9a2f0e4d4b2a1e9d3a8f6b7c21";
        var publishData = $"<iq type='set' id='a1'><pubsub xmlns='{Namespaces.PubSub}'><publish node='urn:xmpp:avatar:data'><item id='{hash}'><data xmlns='urn:xmpp:avatar:data'>{data}</data></item></publish></pubsub></iq>";
        Assert.Equal("result", (await romeo.QueryAsync(publishData)).Type);
        var publishMetadata = $"<iq type='set' id='a2'><pubsub xmlns='{Namespaces.PubSub}'><publish node='urn:xmpp:avatar:metadata'><item id='{hash}'>"
            + $"<metadata xmlns='urn:xmpp:avatar:metadata'><info bytes='30000' id='{hash}' height='64' width='64' type='image/png'/></metadata></item></publish></pubsub></iq>";
        Assert.Equal("result", (await romeo.QueryAsync(publishMetadata)).Type);

        await juliet.SendAsync(CapsPresence(Caps.WantingAvatars));
        await juliet.NextAsync(s => s.Id == "disco");
        await juliet.SendAsync(Caps.WantingAvatars.Answer(juliet.Bare));
        var announced = await juliet.NextAsync(s => s.Name == Stanza.Message);
        Assert.Equal(("romeo@localhost", hash), (announced.From, announced.Descendant("info")?.GetAttribute("id")));
        var fetched = await juliet.QueryAsync($"<iq type='get' id='a3' to='romeo@localhost'><pubsub xmlns='{Namespaces.PubSub}'><items node='urn:xmpp:avatar:data'><item id='{hash}'/></items></pubsub></iq>");
        Assert.Equal(data, fetched.Descendant("data")?.Text);

        // XEP-0384: a bundle for every device, open to anyone, as many items as the service allows.
        var open = "<publish-options><x xmlns='jabber:x:data' type='submit'>" + Field("FORM_TYPE", Namespaces.PubSubPublishOptions)
            + Field("pubsub#access_model", "open") + Field("pubsub#max_items", "max") + "</x></publish-options>";
        var bundle = $"<iq type='set' id='o1'><pubsub xmlns='{Namespaces.PubSub}'><publish node='urn:xmpp:omemo:2:bundles'><item id='42'><bundle xmlns='urn:xmpp:omemo:2'><spk id='1'>AAAA</spk></bundle></item></publish>{open}</pubsub></iq>";
        Assert.Equal("result", (await romeo.QueryAsync(bundle)).Type);
        Assert.Equal("result", (await romeo.QueryAsync(bundle.Replace("item id='42'", "item id='43'", StringComparison.Ordinal))).Type);
        var bundles = await tybalt.QueryAsync($"<iq type='get' id='o2' to='romeo@localhost'><pubsub xmlns='{Namespaces.PubSub}'><items node='urn:xmpp:omemo:2:bundles'/></pubsub></iq>");
        Assert.Equal(["42", "43"], bundles.Descendant("items")!.Elements().Select(i => i.GetAttribute("id")));
    }

    [Fact]
    public async Task A_roster_access_node_is_open_to_the_allowed_groups_only()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        var nurse = await _cluster.ConnectAsync("nurse", "kitchen");
        await Subscriptions.MakeMutualAsync(romeo, juliet);
        await Subscriptions.MakeMutualAsync(romeo, nurse);
        await romeo.QueryAsync("<iq type='set' id='g1'><query xmlns='jabber:iq:roster'><item jid='juliet@localhost'><group>Friends</group></item></query></iq>");
        await romeo.QueryAsync("<iq type='set' id='g2'><query xmlns='jabber:iq:roster'><item jid='nurse@localhost'><group>Staff</group></item></query></iq>");
        var roster = "<publish-options><x xmlns='jabber:x:data' type='submit'>" + Field("FORM_TYPE", Namespaces.PubSubPublishOptions)
            + Field("pubsub#access_model", "roster") + Field("pubsub#roster_groups_allowed", "Friends") + "</x></publish-options>";
        Assert.Equal("result", (await romeo.QueryAsync(PublishNick("current", "Romeo").Replace("</publish>", "</publish>" + roster, StringComparison.Ordinal))).Type);

        var items = $"<iq type='get' id='i1' to='romeo@localhost'><pubsub xmlns='{Namespaces.PubSub}'><items node='{Nick}'/></pubsub></iq>";
        Assert.Equal("Romeo", (await juliet.QueryAsync(items)).Descendant("nick")?.Text);
        var refused = await nurse.QueryAsync(items);
        Assert.Equal(("not-authorized", "not-in-roster-group"), (Condition(refused), StanzaError.FromStanza(refused)!.ApplicationCondition!.Name));
    }

    [Fact]
    public async Task The_account_lists_the_nodes_it_creates_and_forgets_those_it_deletes()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        const string node = "urn:example:explicit";
        Assert.Equal("result", (await romeo.QueryAsync($"<iq type='set' id='c1'><pubsub xmlns='{Namespaces.PubSub}'><create node='{node}'/></pubsub></iq>")).Type);
        Assert.Equal("conflict", Condition(await romeo.QueryAsync($"<iq type='set' id='c2'><pubsub xmlns='{Namespaces.PubSub}'><create node='{node}'/></pubsub></iq>")));
        Assert.Equal([node], await ListedAsync(romeo));

        Assert.Equal("result", (await romeo.QueryAsync($"<iq type='set' id='d1'><pubsub xmlns='{Namespaces.PubSubOwner}'><delete node='{node}'/></pubsub></iq>")).Type);
        Assert.Empty(await ListedAsync(romeo));
        Assert.Equal("item-not-found", Condition(await romeo.QueryAsync($"<iq type='get' id='i1'><pubsub xmlns='{Namespaces.PubSub}'><items node='{node}'/></pubsub></iq>")));

        var instant = await romeo.QueryAsync($"<iq type='set' id='c3'><pubsub xmlns='{Namespaces.PubSub}'><create/></pubsub></iq>");
        var named = instant.Descendant("create")?.GetAttribute("node");
        Assert.True(Guid.TryParse(named, out _));
        Assert.Equal([named], await ListedAsync(romeo));
    }

    private static async Task<List<string?>> ListedAsync(GrainTestCluster.Client client) =>
        [.. (await client.QueryAsync($"<iq type='get' id='l' to='{client.Bare}'><query xmlns='{Namespaces.DiscoItems}'/></iq>")).FirstElement()!.Elements().Select(i => i.GetAttribute("node"))];

    [Fact]
    public async Task A_contact_who_unsubscribes_from_the_presence_gets_no_more_events_even_of_an_open_node()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await Subscriptions.MakeMutualAsync(romeo, juliet);
        var open = "<publish-options><x xmlns='jabber:x:data' type='submit'>" + Field("FORM_TYPE", Namespaces.PubSubPublishOptions) + Field("pubsub#access_model", "open") + "</x></publish-options>";
        await romeo.QueryAsync(PublishNick("current", "Romeo").Replace("</publish>", "</publish>" + open, StringComparison.Ordinal));
        await GoOnlineWithCapsAsync(romeo, Caps.WantingNick);
        await juliet.SendAsync(CapsPresence(Caps.WantingNick));
        Assert.Equal("Romeo", (await juliet.NextAsync(s => s.Name == Stanza.Message)).Descendant("nick")?.Text);

        await juliet.SendAsync("<presence type='unsubscribe' to='romeo@localhost'/>");
        await juliet.Session.DrainAsync();
        await romeo.QueryAsync(PublishNick("current", "Montague"));
        await Task.Delay(200);
        Assert.DoesNotContain(await juliet.Session.DrainAsync(), s => s.Name == Stanza.Message);
    }

    [Fact]
    public async Task A_caps_answer_that_does_not_match_its_hash_serves_only_its_own_resource()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        await romeo.QueryAsync(PublishNick("current", "Romeo"));

        // The client claims the hash of clients that want nicknames and answers with features that do not hash to it.
        await romeo.SendAsync(CapsPresence(Caps.WantingNick));
        await romeo.NextAsync(s => s.Id == "disco");
        await romeo.SendAsync(Caps.Forged.AnswerFor(Caps.WantingNick, "romeo@localhost"));
        Assert.Equal("Romeo", (await romeo.NextAsync(s => s.Name == Stanza.Message)).Descendant("nick")?.Text); // its own answer counts for it

        // A second resource with the same hash is asked again: the answer was not cached for the hash.
        var phone = await _cluster.ConnectAsync("romeo", "phone");
        await phone.SendAsync(CapsPresence(Caps.WantingNick));
        Assert.Equal("disco", (await phone.NextAsync()).Id);
    }

    private static async Task GoOnlineWithCapsAsync(GrainTestCluster.Client client, Caps caps)
    {
        await client.SendAsync(CapsPresence(caps));
        await client.NextAsync(s => s.Id == "disco");
        await client.SendAsync(caps.Answer(client.Bare));
        await client.Session.DrainAsync();
    }

    private static string PublishNick(string id, string nick) =>
        $"<iq type='set' id='pub-{id}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='{Nick}'><item id='{id}'><nick xmlns='{Nick}'>{nick}</nick></item></publish></pubsub></iq>";

    private static string CapsPresence(Caps caps) => $"<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='{caps.Node}' ver='{caps.Ver}'/></presence>";

    /// <summary>A client's capabilities: its features and their XEP-0115 hash, computed here from the §5.1 string.</summary>
    private sealed record Caps(string Node, string[] Features)
    {
        public static readonly Caps WantingNick = new("https://example.org/client", [Namespaces.DiscoInfo, Namespaces.Caps, Nick + "+notify"]);
        public static readonly Caps WithoutNotify = new("https://example.org/plain", [Namespaces.DiscoInfo, Namespaces.Caps]);
        public static readonly Caps WantingAvatars = new("https://example.org/avatars", [Namespaces.DiscoInfo, "urn:xmpp:avatar:metadata+notify"]);
        public static readonly Caps Forged = new("https://example.org/client", [Namespaces.DiscoInfo, Nick + "+notify", "urn:example:extra"]);

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "XEP-0115 caps hashes are SHA-1")]
        public string Ver => Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(
            "client/pc//Example<" + string.Concat(Features.Order(StringComparer.Ordinal).Select(f => f + "<")))));

        public string Answer(string to) => AnswerFor(this, to);

        /// <summary>This client's features, answered to the query for <paramref name="claimed"/>'s hash.</summary>
        public string AnswerFor(Caps claimed, string to) =>
            $"<iq type='result' id='disco' to='{to}'><query xmlns='{Namespaces.DiscoInfo}' node='{claimed.Node}#{claimed.Ver}'><identity category='client' type='pc' name='Example'/>"
            + string.Concat(Features.Select(f => $"<feature var='{f}'/>")) + "</query></iq>";
    }
}
