using System.Text;
using Xmpp.Grains.Tests.Muc;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Storage;

namespace Xmpp.Grains.Tests.PubSub;

/// <summary>Bookmarks 2 (XEP-0402) kept in step with XEP-0048 storage in private XML and in PEP (XEP-0411).</summary>
public sealed class BookmarksTests : IAsyncDisposable
{
    private const string Council = "<conference jid='council@conference.localhost' name='The Council' autojoin='true'><nick>Romeo</nick><password>secret</password><url>ignored</url></conference>";
    private const string Orchard = "<conference jid='orchard@conference.localhost'><nick>R</nick></conference>";

    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Private_storage_bookmarks_become_bookmarks_2_items_and_come_back_from_them()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        Assert.Equal("result", (await romeo.QueryAsync(PrivateSet(Council + Orchard))).Type);

        var items = await romeo.QueryAsync(Bookmarks2Items());
        var council = items.Descendant("items")!.Elements().Single(i => i.GetAttribute("id") == "council@conference.localhost");
        Assert.Equal(
            "<conference xmlns='urn:xmpp:bookmarks:1' name='The Council' autojoin='true'><nick>Romeo</nick><password>secret</password></conference>",
            council.FirstElement()!.ToString());
        var configuration = await romeo.QueryAsync($"<iq type='get' id='cfg'><pubsub xmlns='{Namespaces.PubSubOwner}'><configure node='{Namespaces.Bookmarks2}'/></pubsub></iq>");
        Assert.Contains("<field type='list-single' var='pubsub#access_model' label='Specify the subscriber model'>", configuration.ToString(), StringComparison.Ordinal);
        Assert.Equal("whitelist", Field(configuration, "pubsub#access_model"));
        Assert.Equal("max", Field(configuration, "pubsub#max_items"));

        var stored = await romeo.QueryAsync(PrivateGet());
        Assert.Equal(
            "<storage xmlns='storage:bookmarks'><conference jid='orchard@conference.localhost'><nick>R</nick></conference>"
            + "<conference jid='council@conference.localhost' name='The Council' autojoin='true'><nick>Romeo</nick><password>secret</password></conference></storage>",
            stored.FirstElement()!.FirstElement()!.ToString());

        // Setting the storage again without a room retracts that room's item.
        await romeo.QueryAsync(PrivateSet(Orchard));
        Assert.Equal(["orchard@conference.localhost"], (await romeo.QueryAsync(Bookmarks2Items())).Descendant("items")!.Elements().Select(i => i.GetAttribute("id")));
    }

    [Fact]
    public async Task A_bookmarks_2_client_and_a_legacy_pep_client_see_each_others_bookmarks()
    {
        var modern = await _cluster.ConnectAsync("romeo", "modern");
        var legacy = await _cluster.ConnectAsync("romeo", "legacy");
        await GoOnlineWantingAsync(legacy, Namespaces.LegacyBookmarks);

        var publish = $"<iq type='set' id='p1'><pubsub xmlns='{Namespaces.PubSub}'><publish node='{Namespaces.Bookmarks2}'><item id='council@conference.localhost'>"
            + "<conference xmlns='urn:xmpp:bookmarks:1' name='The Council' autojoin='true'><nick>Romeo</nick><extensions><state xmlns='urn:example'/></extensions></conference></item></publish>"
            + $"<publish-options><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>{Namespaces.PubSubPublishOptions}</value></field>"
            + "<field var='pubsub#access_model'><value>whitelist</value></field><field var='pubsub#max_items'><value>max</value></field></x></publish-options></pubsub></iq>";
        Assert.Equal("result", (await modern.QueryAsync(publish)).Type);

        // XEP-0411: the legacy client hears of it as the whole storage, on the old node.
        var compat = await legacy.NextAsync(s => s.Name == Stanza.Message);
        Assert.Equal(Namespaces.LegacyBookmarks, compat.Descendant("items")?.GetAttribute("node"));
        Assert.Equal("council@conference.localhost", compat.Descendant("conference")?.GetAttribute("jid"));

        var old = await legacy.QueryAsync($"<iq type='get' id='g1'><pubsub xmlns='{Namespaces.PubSub}'><items node='{Namespaces.LegacyBookmarks}'/></pubsub></iq>");
        Assert.Equal("Romeo", old.Descendant("nick")?.Text);

        // The legacy client renames the room: the item changes and keeps the client's extensions; a room it leaves out goes.
        var renamed = $"<iq type='set' id='p2'><pubsub xmlns='{Namespaces.PubSub}'><publish node='{Namespaces.LegacyBookmarks}'><item id='current'><storage xmlns='storage:bookmarks'>"
            + "<conference jid='council@conference.localhost' name='The Council' autojoin='true'><nick>Montague</nick></conference></storage></item></publish></pubsub></iq>";
        Assert.Equal("result", (await legacy.QueryAsync(renamed)).Type);
        var item = (await modern.QueryAsync(Bookmarks2Items())).Descendant("item")!;
        Assert.Equal("Montague", item.Descendant("nick")?.Text);
        Assert.Null(item.Descendant("extensions")); // a changed room is written as the older form says it, as by Prosody

        var emptied = $"<iq type='set' id='p3'><pubsub xmlns='{Namespaces.PubSub}'><publish node='{Namespaces.LegacyBookmarks}'><item id='current'><storage xmlns='storage:bookmarks'/></item></publish></pubsub></iq>";
        await legacy.QueryAsync(emptied);
        Assert.Empty((await modern.QueryAsync(Bookmarks2Items())).Descendant("items")!.Elements());
    }

    [Fact]
    public async Task Bookmarks_an_older_version_kept_in_private_storage_move_to_pep_at_the_next_login()
    {
        var profile = new GrainStateId("user", "romeo@localhost", "profile");
        var old = $"{{\"PrivateXml\":{{\"storage storage:bookmarks\":\"<storage xmlns='storage:bookmarks'>{Orchard}</storage>\"}}}}";
        await _cluster.Storage.WriteAsync(profile, Encoding.UTF8.GetBytes(old), null);

        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var items = await romeo.QueryAsync(Bookmarks2Items());
        Assert.Equal("orchard@conference.localhost", items.Descendant("item")?.GetAttribute("id"));
        var info = await romeo.QueryAsync("<iq type='get' id='d1' to='romeo@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.Contains(info.FirstElement()!.Elements(), f => f.GetAttribute("var") == Namespaces.Bookmarks2Compat);
    }

    private static async Task GoOnlineWantingAsync(GrainTestCluster.Client client, string node)
    {
        var features = new[] { Namespaces.DiscoInfo, node + "+notify" };
        await client.SendAsync("<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:example' ver='unverified'/></presence>");
        await client.NextAsync(s => s.Id == "disco");
        await client.SendAsync($"<iq type='result' id='disco' to='{client.Bare}'><query xmlns='{Namespaces.DiscoInfo}' node='urn:example#unverified'>"
            + string.Concat(features.Select(f => $"<feature var='{f}'/>")) + "</query></iq>");
        await client.Session.DrainAsync();
    }

    private static string PrivateSet(string conferences) =>
        $"<iq type='set' id='ps'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'>{conferences}</storage></query></iq>";

    private static string PrivateGet() => "<iq type='get' id='pg'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>";

    private static string Bookmarks2Items() => $"<iq type='get' id='b2'><pubsub xmlns='{Namespaces.PubSub}'><items node='{Namespaces.Bookmarks2}'/></pubsub></iq>";

    private static string? Field(Element reply, string var) =>
        reply.Descendant("x")!.Elements().FirstOrDefault(f => f.GetAttribute("var") == var)?.ChildText("value", Namespaces.DataForms);
}
