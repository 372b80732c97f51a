using Xmpp.Grains.Archive;
using Xmpp.Grains.Tests.Muc;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Tests;

/// <summary>Account archives (XEP-0313) and stanza ids (XEP-0359) through the account's grain.</summary>
public sealed class ArchiveTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new(xmpp: o => o.Archive.Enabled = true);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    private static string Chat(string to, string id, string body, string extra = "") =>
        $"<message to='{to}' type='chat' id='{id}'><body>{body}</body>{extra}</message>";

    [Fact]
    public async Task ArchiveGrain_answers_every_method_through_Orleans()
    {
        var client = await _cluster.ExternalClientAsync();
        var archive = client.GetGrain<IArchiveGrain>("tybalt@localhost");
        Assert.Null(await archive.GetBoundsAsync());

        const string Stanza = "<message xmlns='jabber:client' from='tybalt@localhost/street' to='mercutio@localhost' type='chat'><body>Thou art a villain &amp; more</body></message>";
        await _cluster.Archives.AppendAsync("tybalt@localhost", [new ArchivedStanza(10, "mercutio@localhost", Stanza), new ArchivedStanza(20, "benvolio@localhost/x", Stanza)]);
        Assert.Equal(new ArchiveBounds(10, 20), await archive.GetBoundsAsync());

        var page = await archive.QueryAsync(new ArchiveQuery { With = "mercutio@localhost", WithIsBare = true, Max = 10 });
        Assert.NotNull(page);
        Assert.Equal(Stanza, Assert.Single(page.Items).Xml);
        Assert.Null(await archive.QueryAsync(new ArchiveQuery { PageAfter = 21 })); // an id not in the archive

        await archive.ApplyRetentionAsync(); // none configured: keeps everything
        Assert.Equal(new ArchiveBounds(10, 20), await archive.GetBoundsAsync());

        await archive.DeleteAllAsync();
        Assert.Null(await archive.GetBoundsAsync());
    }

    [Fact]
    public async Task A_chat_message_is_archived_for_both_parties_and_delivered_with_the_recipients_stanza_id()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();
        await romeo.SendAsync(Chat("juliet@localhost", "m1", "hi", "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/><stanza-id xmlns='urn:xmpp:sid:0' by='juliet@localhost' id='forged'/>"));

        var delivered = await juliet.NextAsync(s => s.Id == "m1");
        var stanzaId = Assert.Single(delivered.Elements("stanza-id", Namespaces.StanzaId));
        Assert.Equal("juliet@localhost", stanzaId.GetAttribute("by"));
        Assert.NotEqual("forged", stanzaId.GetAttribute("id"));
        Assert.Equal("o1", delivered.Child("origin-id", Namespaces.StanzaId)?.GetAttribute("id"));

        var julietsArchive = await _cluster.Archives.QueryAsync("juliet@localhost", new ArchiveQuery());
        var stored = Assert.Single(julietsArchive.Items);
        Assert.Equal(stanzaId.GetAttribute("id"), ArchiveId.Format(stored.Id));
        Assert.Equal("romeo@localhost/orchard", stored.With);
        Assert.DoesNotContain("stanza-id", stored.Xml, StringComparison.Ordinal); // the forged one went, the own one is not archived

        var romeosArchive = await _cluster.Archives.QueryAsync("romeo@localhost", new ArchiveQuery());
        Assert.Equal("juliet@localhost", Assert.Single(romeosArchive.Items).With);
    }

    [Fact]
    public async Task Headlines_chat_states_and_no_store_hints_are_not_archived_and_offline_messages_are()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        await _cluster.CreateAccountAsync("juliet");
        await romeo.SendAsync("<message to='juliet@localhost' type='chat' id='s1'><active xmlns='http://jabber.org/protocol/chatstates'/></message>");
        await romeo.SendAsync("<message to='juliet@localhost' type='headline' id='h1'><body>news</body></message>");
        await romeo.SendAsync(Chat("juliet@localhost", "n1", "secret", "<no-store xmlns='urn:xmpp:hints'/>"));
        await romeo.SendAsync(Chat("juliet@localhost", "k1", "kept"));
        await _cluster.Storage.WaitUntilStoredAsync(new("user", "juliet@localhost", "offline"), "the kept message is stored offline");

        var archived = await _cluster.Archives.QueryAsync("juliet@localhost", new ArchiveQuery());
        Assert.Contains("id='k1'", Assert.Single(archived.Items).Xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preferences_decide_per_party_with_normalised_jids_and_roster_default()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var set = await romeo.QueryAsync(
            "<iq type='set' id='p1'><prefs xmlns='urn:xmpp:mam:2' default='roster'><always><jid>Nurse@LOCALHOST</jid></always><never><jid>tybalt@localhost</jid></never></prefs></iq>");
        Assert.Equal("<prefs xmlns='urn:xmpp:mam:2' default='roster'><always><jid>nurse@localhost</jid></always><never><jid>tybalt@localhost</jid></never></prefs>", set.FirstElement()!.ToString());

        await romeo.SendAsync(Chat("nurse@localhost", "a", "always"));
        await romeo.SendAsync(Chat("tybalt@localhost", "b", "never"));
        await romeo.SendAsync(Chat("benvolio@localhost", "c", "not in the roster"));
        await romeo.QueryAsync("<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='benvolio@localhost'/></query></iq>");
        await romeo.SendAsync(Chat("benvolio@localhost", "d", "in the roster"));
        var done = await romeo.QueryAsync("<iq type='get' id='p2'><prefs xmlns='urn:xmpp:mam:2'/></iq>");
        Assert.Equal("roster", done.FirstElement()!.GetAttribute("default"));

        var archived = await _cluster.Archives.QueryAsync("romeo@localhost", new ArchiveQuery());
        Assert.Equal(["nurse@localhost", "benvolio@localhost"], archived.Items.Select(i => i.With));

        var bad = await romeo.QueryAsync("<iq type='set' id='p3'><prefs xmlns='urn:xmpp:mam:2' default='sometimes'/></iq>");
        Assert.Equal("bad-request", StanzaError.FromStanza(bad)?.Condition);
    }

    [Fact]
    public async Task When_the_archive_cannot_be_written_the_message_is_not_delivered_and_the_sender_hears_of_it()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();
        _cluster.Archives.Failing = true;
        await romeo.SendAsync(Chat("juliet@localhost", "lost?", "are you there"));
        var error = await romeo.NextAsync(s => s.Id == "lost?");
        Assert.Equal("internal-server-error", StanzaError.FromStanza(error)?.Condition);
        await juliet.AssertNothingAsync();

        _cluster.Archives.Failing = false;
        await romeo.SendAsync(Chat("juliet@localhost", "again", "are you there"));
        Assert.NotNull((await juliet.NextAsync(s => s.Id == "again")).Child("stanza-id", Namespaces.StanzaId));
    }

    [Fact]
    public async Task A_sent_message_leaves_while_the_senders_append_is_under_way_and_is_delivered_once_both_are_durable()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var romeosPhone = await _cluster.ConnectAsync("romeo", "phone");
        Assert.Equal("result", (await romeosPhone.QueryAsync("<iq type='set' id='c1'><enable xmlns='urn:xmpp:carbons:2'/></iq>")).Type);
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();
        _cluster.Archives.Hold();
        var sending = romeo.SendAsync(Chat("juliet@localhost", "m1", "hi")); // the sender's batch ends once its append is durable

        // The recipient appended its copy behind the sender's, which is not durable yet: on a store
        // that completes appends in order the message did not wait for it, and is not delivered
        // before both are; nor does the sender's other device see it before the sender's copy is.
        Assert.Equal(["romeo@localhost", "juliet@localhost"], await _cluster.Archives.WaitForAppendsAsync(2));
        await juliet.AssertNothingAsync();
        await romeosPhone.AssertNothingAsync();

        Assert.False(sending.IsCompleted);
        _cluster.Archives.Release();
        await sending;
        Assert.NotNull((await romeosPhone.NextAsync()).Child("sent", Namespaces.Carbons));
        var delivered = await juliet.NextAsync(s => s.Id == "m1");
        Assert.Equal(ArchiveId.Format(Assert.Single((await _cluster.Archives.QueryAsync("juliet@localhost", new ArchiveQuery())).Items).Id), delivered.Child("stanza-id", Namespaces.StanzaId)?.GetAttribute("id"));
        Assert.Single((await _cluster.Archives.QueryAsync("romeo@localhost", new ArchiveQuery())).Items);
    }

    [Fact]
    public async Task When_the_recipient_cannot_archive_a_message_it_is_not_delivered_and_the_sender_hears_of_it()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();
        _cluster.Archives.FailingOwner = "juliet@localhost";
        await romeo.SendAsync(Chat("juliet@localhost", "lost?", "are you there"));

        Assert.Equal("internal-server-error", StanzaError.FromStanza(await romeo.NextAsync(s => s.Id == "lost?"))?.Condition);
        await juliet.AssertNothingAsync();
        Assert.Single((await _cluster.Archives.QueryAsync("romeo@localhost", new ArchiveQuery())).Items); // the sender's copy was kept
    }

    [Fact]
    public async Task On_a_store_whose_appends_complete_in_any_order_a_sent_message_leaves_once_the_senders_append_is_durable()
    {
        _cluster.Archives.WritesInOrder = false;
        var romeo = await _cluster.ConnectAsync("romeo", "orchard");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();
        _cluster.Archives.Hold();
        var sending = romeo.SendAsync(Chat("juliet@localhost", "m1", "hi"));

        await juliet.AssertNothingAsync();
        Assert.Equal(["romeo@localhost"], _cluster.Archives.Appends); // the recipient's append has not begun

        _cluster.Archives.Release();
        await sending;
        Assert.NotNull((await juliet.NextAsync(s => s.Id == "m1")).Child("stanza-id", Namespaces.StanzaId));
        Assert.Equal(["romeo@localhost", "juliet@localhost"], _cluster.Archives.Appends);
    }

    [Fact]
    public async Task The_first_message_an_account_archives_after_it_activates_applies_the_retention_cap()
    {
        await using var cluster = new GrainTestCluster(xmpp: o =>
        {
            o.Archive.Enabled = true;
            o.Archive.MaxMessages = 3;
        });
        var earlier = ArchiveId.FromTime(DateTimeOffset.UtcNow.AddHours(-1));
        await cluster.Archives.AppendAsync("romeo@localhost", [.. Enumerable.Range(1, 5).Select(n => new ArchivedStanza(earlier + n, "x@localhost", $"<message><body>{n}</body></message>"))]);
        var romeo = await cluster.ConnectAsync("romeo", "orchard");
        await romeo.SendAsync(Chat("juliet@localhost", "m6", "six"));

        ArchivePage kept;
        for (var deadline = DateTime.UtcNow.AddSeconds(5); ((kept = await cluster.Archives.QueryAsync("romeo@localhost", new ArchiveQuery())).Items.Count > 3) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(10);
        }

        Assert.Equal(["<message><body>4</body></message>", "<message><body>5</body></message>", "six"],
            kept.Items.Select(i => i.Xml.Contains("six", StringComparison.Ordinal) ? "six" : i.Xml));
    }

    [Fact]
    public async Task Retention_deletes_what_is_too_old_and_the_oldest_beyond_the_cap_when_an_archive_activates()
    {
        await using var cluster = new GrainTestCluster(xmpp: o =>
        {
            o.Archive.Enabled = true;
            o.Archive.MaxAge = TimeSpan.FromDays(30);
            o.Archive.MaxMessages = 3;
        });
        var now = DateTimeOffset.UtcNow;
        ArchivedStanza At(DateTimeOffset when, int n) => new(ArchiveId.FromTime(when), "x@localhost", $"<message><body>{n}</body></message>");
        await cluster.Archives.AppendAsync("romeo@localhost", [At(now.AddDays(-60), 0), .. Enumerable.Range(1, 5).Select(n => At(now.AddMinutes(n - 10), n))]);

        var bounds = await cluster.Grains.GetGrain<IArchiveGrain>("romeo@localhost").GetBoundsAsync();
        var kept = await cluster.Archives.QueryAsync("romeo@localhost", new ArchiveQuery());
        Assert.Equal(["<message><body>3</body></message>", "<message><body>4</body></message>", "<message><body>5</body></message>"], kept.Items.Select(i => i.Xml));
        Assert.Equal(new ArchiveBounds(kept.Items[0].Id, kept.Items[^1].Id), bounds);
    }
}
