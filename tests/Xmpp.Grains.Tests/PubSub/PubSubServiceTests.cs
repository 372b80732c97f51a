using Xmpp.Grains.Tests.Muc;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.PubSub;

/// <summary>The pubsub service (XEP-0060) at pubsub.localhost, through the accounts' grains as clients reach it.</summary>
public sealed class PubSubServiceTests : IAsyncDisposable
{
    private const string Service = "pubsub.localhost";
    private const string Entry = "<entry xmlns='http://www.w3.org/2005/Atom'><title>Soliloquy</title></entry>";

    private readonly GrainTestCluster _cluster = new(xmpp: o =>
    {
        o.Admins.Add("admin@localhost");
        o.PubSub.ExposePublisher = true;
    });

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task An_administrator_creates_a_configured_node_that_keeps_its_newest_items_across_a_restart()
    {
        var admin = await _cluster.ConnectAsync("admin", "desk");
        var created = await admin.QueryAsync(Create("musings", Field("pubsub#max_items", "2") + Field("pubsub#title", "Princely musings")));
        Assert.Equal("result", created.Type);
        Assert.Equal("conflict", Condition(await admin.QueryAsync(Create("musings"))));

        foreach (var id in new[] { "one", "two", "three" })
        {
            Assert.Equal(id, (await admin.QueryAsync(Publish("musings", id, Entry))).Descendant("item")?.GetAttribute("id"));
        }

        await _cluster.RestartAsync();
        admin = await _cluster.ConnectAsync("admin", "desk");
        var items = await admin.QueryAsync($"<iq type='get' id='i1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='musings'/></pubsub></iq>");
        Assert.Equal(["two", "three"], ItemIds(items)); // max_items 2: the most recent, oldest first as from Prosody
        var newest = await admin.QueryAsync($"<iq type='get' id='i2' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='musings' max_items='1'/></pubsub></iq>");
        Assert.Equal(["three"], ItemIds(newest));
        var byId = await admin.QueryAsync($"<iq type='get' id='i3' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='musings'><item id='two'/></items></pubsub></iq>");
        Assert.Equal(["two"], ItemIds(byId));
        Assert.Equal("Soliloquy", byId.Descendant("title")?.Text);

        var listed = await admin.QueryAsync($"<iq type='get' id='d1' to='{Service}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        Assert.Contains(listed.FirstElement()!.Elements(), i => i.GetAttribute("node") == "musings");
        var info = await admin.QueryAsync($"<iq type='get' id='d2' to='{Service}'><query xmlns='http://jabber.org/protocol/disco#info' node='musings'/></iq>");
        Assert.Contains("Princely musings", info.ToString(), StringComparison.Ordinal);
        Assert.Contains(Namespaces.PubSubMetaData, info.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_administrators_create_nodes_and_an_instant_node_gets_a_name()
    {
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        Assert.Equal("forbidden", Condition(await juliet.QueryAsync(Create("hers"))));

        var admin = await _cluster.ConnectAsync("admin", "desk");
        var instant = await admin.QueryAsync($"<iq type='set' id='c0' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><create/></pubsub></iq>");
        var name = instant.Descendant("create")?.GetAttribute("node");
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal("result", (await admin.QueryAsync(Publish(name!, "first", Entry))).Type);
    }

    [Fact]
    public async Task Subscribers_hear_of_publishing_retracting_purging_and_deleting()
    {
        var admin = await _cluster.ConnectAsync("admin", "desk");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await admin.QueryAsync(Create("musings"));

        var mismatch = await juliet.QueryAsync(Subscribe("musings", "romeo@localhost/orchard"));
        Assert.Equal("bad-request", Condition(mismatch));
        Assert.Equal("invalid-jid", StanzaError.FromStanza(mismatch)!.ApplicationCondition!.Name);
        var subscribed = await juliet.QueryAsync(Subscribe("musings", juliet.Jid.ToString()));
        Assert.Equal("subscribed", subscribed.Descendant("subscription")?.GetAttribute("subscription"));

        await admin.QueryAsync(Publish("musings", "current", Entry));
        var published = await juliet.NextAsync(IsMessage);
        Assert.Equal(Service, published.From);
        var item = published.Descendant("item")!;
        Assert.Equal(("current", "admin@localhost"), (item.GetAttribute("id"), item.GetAttribute("publisher")));
        Assert.Equal("Soliloquy", item.Descendant("title")?.Text);

        await admin.QueryAsync($"<iq type='set' id='r1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><retract node='musings' notify='true'><item id='current'/></retract></pubsub></iq>");
        Assert.Equal("current", (await juliet.NextAsync(IsMessage)).Descendant("retract")?.GetAttribute("id"));

        await admin.QueryAsync($"<iq type='set' id='p1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><purge node='musings'/></pubsub></iq>");
        Assert.Equal("musings", (await juliet.NextAsync(IsMessage)).Descendant("purge")?.GetAttribute("node"));

        await admin.QueryAsync($"<iq type='set' id='x1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><delete node='musings'><redirect uri='xmpp:pubsub.localhost?;node=elsewhere'/></delete></pubsub></iq>");
        var deleted = await juliet.NextAsync(IsMessage);
        Assert.Equal("xmpp:pubsub.localhost?;node=elsewhere", deleted.Descendant("redirect")?.GetAttribute("uri"));
        Assert.Equal("item-not-found", Condition(await juliet.QueryAsync(Subscribe("musings", juliet.Jid.ToString()))));
        var listed = await admin.QueryAsync($"<iq type='get' id='d1' to='{Service}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        Assert.Empty(listed.FirstElement()!.Elements());
    }

    [Fact]
    public async Task Publish_options_are_preconditions_on_an_existing_node()
    {
        var admin = await _cluster.ConnectAsync("admin", "desk");
        await admin.QueryAsync(Create("musings"));
        var options = "<publish-options><x xmlns='jabber:x:data' type='submit'>" + Field("FORM_TYPE", Namespaces.PubSubPublishOptions) + Field("pubsub#access_model", "whitelist") + "</x></publish-options>";

        var refused = await admin.QueryAsync(Publish("musings", "one", Entry, options));
        Assert.Equal(("conflict", "precondition-not-met"), (Condition(refused), StanzaError.FromStanza(refused)!.ApplicationCondition!.Name));

        await admin.QueryAsync(Configure("musings", Field("pubsub#access_model", "whitelist")));
        Assert.Equal("result", (await admin.QueryAsync(Publish("musings", "one", Entry, options))).Type);
    }

    [Fact]
    public async Task Owners_manage_affiliations_and_subscriptions_and_the_access_model_applies()
    {
        var admin = await _cluster.ConnectAsync("admin", "desk");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        var tybalt = await _cluster.ConnectAsync("tybalt", "street");
        await admin.QueryAsync(Create("musings", Field("pubsub#access_model", "whitelist")));

        var closed = await juliet.QueryAsync(Subscribe("musings", juliet.Jid.ToString()));
        Assert.Equal(("not-allowed", "closed-node"), (Condition(closed), StanzaError.FromStanza(closed)!.ApplicationCondition!.Name));
        Assert.Equal("forbidden", Condition(await juliet.QueryAsync(Publish("musings", "hers", Entry))));

        Assert.Equal("result", (await admin.QueryAsync(Affiliations("musings", "<affiliation jid='juliet@localhost' affiliation='publisher'/><affiliation jid='tybalt@localhost' affiliation='outcast'/>"))).Type);
        Assert.Equal("result", (await juliet.QueryAsync(Publish("musings", "hers", Entry))).Type);
        Assert.Equal("result", (await juliet.QueryAsync(Subscribe("musings", juliet.Jid.ToString()))).Type);
        Assert.Equal("forbidden", Condition(await tybalt.QueryAsync(Subscribe("musings", tybalt.Jid.ToString()))));

        var own = await juliet.QueryAsync($"<iq type='get' id='a1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><affiliations/></pubsub></iq>");
        Assert.Equal("publisher", own.Descendant("affiliation")?.GetAttribute("affiliation"));
        var subscriptions = await admin.QueryAsync($"<iq type='get' id='s1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><subscriptions node='musings'/></pubsub></iq>");
        Assert.Equal("juliet@localhost/balcony", subscriptions.Descendant("subscription")?.GetAttribute("jid"));

        var withoutOwner = await admin.QueryAsync(Affiliations("musings", "<affiliation jid='admin@localhost' affiliation='none'/>"));
        Assert.Equal("not-acceptable", Condition(withoutOwner));

        await admin.QueryAsync($"<iq type='set' id='s2' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><subscriptions node='musings'><subscription jid='juliet@localhost/balcony' subscription='none'/></subscriptions></pubsub></iq>");
        var left = await juliet.QueryAsync($"<iq type='get' id='s3' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscriptions/></pubsub></iq>");
        Assert.Empty(left.Descendant("subscriptions")!.Elements());
        Assert.Equal("not-subscribed", StanzaError.FromStanza(await juliet.QueryAsync($"<iq type='set' id='u1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><unsubscribe node='musings' jid='juliet@localhost/balcony'/></pubsub></iq>"))!.ApplicationCondition!.Name);
    }

    [Fact]
    public async Task A_new_subscriber_gets_the_last_item_after_the_confirmation_when_the_node_says_so()
    {
        var admin = await _cluster.ConnectAsync("admin", "desk");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await admin.QueryAsync(Create("musings", Field("pubsub#send_last_published_item", "on_sub")));
        await admin.QueryAsync(Publish("musings", "old", Entry));
        await admin.QueryAsync(Publish("musings", "latest", Entry));

        await juliet.SendAsync(Subscribe("musings", juliet.Jid.ToString()));
        Assert.Equal("sub", (await juliet.NextAsync()).Id);
        Assert.Equal("latest", (await juliet.NextAsync()).Descendant("item")?.GetAttribute("id"));
    }

    [Fact]
    public async Task Subscription_options_pause_and_resume_notifications()
    {
        var admin = await _cluster.ConnectAsync("admin", "desk");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await admin.QueryAsync(Create("musings"));
        await juliet.QueryAsync(Subscribe("musings", juliet.Jid.ToString()));

        var options = await juliet.QueryAsync($"<iq type='get' id='o1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><options node='musings' jid='{juliet.Jid}'/></pubsub></iq>");
        Assert.Equal("1", FormValue(options, "pubsub#deliver"));
        Assert.Equal("result", (await juliet.QueryAsync(Options(juliet, "0"))).Type);
        await admin.QueryAsync(Publish("musings", "quiet", Entry));
        await Task.Delay(200);
        Assert.DoesNotContain(await juliet.Session.DrainAsync(), IsMessage);

        await juliet.QueryAsync(Options(juliet, "1"));
        await admin.QueryAsync(Publish("musings", "loud", Entry));
        Assert.Equal("loud", (await juliet.NextAsync(IsMessage)).Descendant("item")?.GetAttribute("id"));
    }

    [Fact]
    public async Task Items_come_in_result_set_pages()
    {
        var admin = await _cluster.ConnectAsync("admin", "desk");
        await admin.QueryAsync(Create("musings"));
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
        {
            await admin.QueryAsync(Publish("musings", id, Entry));
        }

        var first = await admin.QueryAsync(ItemsPage("<max>2</max>"));
        Assert.Equal(["a", "b"], ItemIds(first));
        Assert.Equal(("a", "b", "5"), (first.Descendant("first")?.Text, first.Descendant("last")?.Text, first.Descendant("count")?.Text));
        Assert.Equal(["c", "d"], ItemIds(await admin.QueryAsync(ItemsPage("<max>2</max><after>b</after>"))));
        Assert.Equal(["d", "e"], ItemIds(await admin.QueryAsync(ItemsPage("<max>2</max><before/>"))));
        Assert.Equal("item-not-found", Condition(await admin.QueryAsync(ItemsPage("<max>2</max><after>nope</after>"))));
    }

    [Fact]
    public async Task A_publish_only_affiliate_publishes_and_retracts_its_own_items_but_reads_nothing()
    {
        var admin = await _cluster.ConnectAsync("admin", "desk");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await admin.QueryAsync(Create("inbox"));
        await admin.QueryAsync(Affiliations("inbox", "<affiliation jid='juliet@localhost' affiliation='publish-only'/>"));
        await admin.QueryAsync(Publish("inbox", "admins", Entry));

        Assert.Equal("result", (await juliet.QueryAsync(Publish("inbox", "hers", Entry))).Type);
        Assert.Equal("forbidden", Condition(await juliet.QueryAsync($"<iq type='get' id='i1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='inbox'/></pubsub></iq>")));
        Assert.Equal("forbidden", Condition(await juliet.QueryAsync(Retract("inbox", "admins"))));
        Assert.Equal("result", (await juliet.QueryAsync(Retract("inbox", "hers"))).Type);
        Assert.Equal("forbidden", Condition(await juliet.QueryAsync($"<iq type='set' id='p1' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><purge node='inbox'/></pubsub></iq>")));
    }

    [Fact]
    public async Task The_service_says_what_it_is_and_what_it_supports()
    {
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        var info = await juliet.QueryAsync($"<iq type='get' id='d1' to='{Service}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var identity = info.Descendant("identity")!;
        Assert.Equal(("pubsub", "service"), (identity.GetAttribute("category"), identity.GetAttribute("type")));
        var features = info.FirstElement()!.Elements("feature", Namespaces.DiscoInfo).Select(f => f.GetAttribute("var")).ToList();
        Assert.Contains(Namespaces.PubSub + "#publish-options", features);
        Assert.DoesNotContain(Namespaces.PubSub + "#collections", features);

        var server = await juliet.QueryAsync("<iq type='get' id='d2' to='localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        Assert.Contains(server.FirstElement()!.Elements(), i => i.GetAttribute("jid") == Service);
    }

    internal static string Field(string var, string value) => $"<field var='{var}'><value>{value}</value></field>";

    private static string Create(string node, string? fields = null) =>
        $"<iq type='set' id='c-{node}' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><create node='{node}'/>"
        + (fields is null ? string.Empty : $"<configure><x xmlns='jabber:x:data' type='submit'>{Field("FORM_TYPE", Namespaces.PubSubNodeConfig)}{fields}</x></configure>")
        + "</pubsub></iq>";

    private static string Configure(string node, string fields) =>
        $"<iq type='set' id='cf-{node}' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><configure node='{node}'><x xmlns='jabber:x:data' type='submit'>{Field("FORM_TYPE", Namespaces.PubSubNodeConfig)}{fields}</x></configure></pubsub></iq>";

    private static string Publish(string node, string id, string payload, string options = "") =>
        $"<iq type='set' id='pub-{id}' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='{node}'><item id='{id}'>{payload}</item></publish>{options}</pubsub></iq>";

    private static string Subscribe(string node, string jid) =>
        $"<iq type='set' id='sub' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='{node}' jid='{jid}'/></pubsub></iq>";

    private static string Affiliations(string node, string affiliations) =>
        $"<iq type='set' id='aff' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><affiliations node='{node}'>{affiliations}</affiliations></pubsub></iq>";

    private static string Options(GrainTestCluster.Client client, string deliver) =>
        $"<iq type='set' id='o2' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><options node='musings' jid='{client.Jid}'>"
        + $"<x xmlns='jabber:x:data' type='submit'>{Field("FORM_TYPE", Namespaces.PubSubSubscribeOptions)}{Field("pubsub#deliver", deliver)}</x></options></pubsub></iq>";

    private static string ItemsPage(string set) =>
        $"<iq type='get' id='rsm' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='musings'/><set xmlns='http://jabber.org/protocol/rsm'>{set}</set></pubsub></iq>";

    private static string Retract(string node, string id) =>
        $"<iq type='set' id='r-{id}' to='{Service}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><retract node='{node}'><item id='{id}'/></retract></pubsub></iq>";

    private static string? FormValue(Element reply, string var) =>
        reply.Descendant("x")!.Elements().FirstOrDefault(f => f.GetAttribute("var") == var)?.ChildText("value", Namespaces.DataForms);

    internal static string? Condition(Element reply) => StanzaError.FromStanza(reply)?.Condition;

    internal static bool IsMessage(Element stanza) => stanza.Name == Stanza.Message;

    private static List<string?> ItemIds(Element reply) => [.. reply.Descendant("items")!.Elements().Select(i => i.GetAttribute("id"))];
}
