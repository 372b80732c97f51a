using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xmpp.Gateway.Registration;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Storage;
using Xmpp.Storage.Archive;

namespace Xmpp.Gateway.Tests;

/// <summary>In-band registration (XEP-0077): a new account before login, a password change, and removal with its tombstone.</summary>
public sealed class RegistrationTests
{
    private const string Register = "--Gateway:Registration:Enabled=true";

    [Fact]
    public async Task Registration_is_offered_only_when_enabled_and_refused_otherwise()
    {
        await using (var off = await TestServer.StartAsync())
        {
            await using var client = await off.ConnectAsync();
            await client.OpenStreamAsync();
            Assert.Null(client.Features!.Child("register", Namespaces.RegisterFeature));
            var reply = await RegisterAsync(client, "romeo", "s3cret");
            Assert.Equal("service-unavailable", StanzaError.FromStanza(reply)!.Condition);
        }

        await using var on = await TestServer.StartAsync(Register);
        await using var offered = await on.ConnectAsync();
        await offered.OpenStreamAsync();
        Assert.NotNull(offered.Features!.Child("register", Namespaces.RegisterFeature));
    }

    [Fact]
    public async Task A_new_account_is_created_before_login_and_logs_in()
    {
        await using var server = await TestServer.StartAsync(Register);
        await using (var client = await server.ConnectAsync())
        {
            await client.OpenStreamAsync();
            await client.SendAsync("<iq type='get' id='form'><query xmlns='jabber:iq:register'/></iq>");
            var form = (await client.ReadUntilAsync(e => e.Id == "form")).Child("query", Namespaces.Register)!;
            Assert.NotNull(form.Child("username", Namespaces.Register));
            Assert.NotNull(form.Child("password", Namespaces.Register));
            Assert.Equal(Namespaces.Register, Xmpp.Protocol.DataForms.DataForm.Find(form)!.FormType);

            Assert.Equal("result", (await RegisterAsync(client, "Romeo", "s3cret")).Type);

            // The same name again (prepared to the same localpart) is taken.
            var again = await RegisterAsync(client, "romeo", "other");
            Assert.Equal(("cancel", "conflict"), (StanzaError.FromStanza(again)!.Type, StanzaError.FromStanza(again)!.Condition));
            Assert.Null(await client.AuthenticateAsync("SCRAM-SHA-256", "romeo", "s3cret")); // and logs in on the same stream
        }

        await using var session = await server.LoginAsync("romeo", "s3cret");
        Assert.Equal("romeo@localhost", session.Jid!.Bare.ToString());
    }

    [Fact]
    public async Task Missing_fields_and_invalid_names_are_not_acceptable()
    {
        await using var server = await TestServer.StartAsync(Register);
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();

        await client.SendAsync("<iq type='set' id='r'><query xmlns='jabber:iq:register'><username>romeo</username></query></iq>");
        var missing = StanzaError.FromStanza(await client.ReadUntilAsync(e => e.Id == "r"))!;
        Assert.Equal(("not-acceptable", "Password: Required value missing"), (missing.Condition, missing.Text));

        var invalid = StanzaError.FromStanza(await RegisterAsync(client, "rom eo@", "s3cret"))!;
        Assert.Equal(("not-acceptable", "The requested username is invalid."), (invalid.Condition, invalid.Text));
    }

    [Fact]
    public async Task The_account_owner_changes_the_password_and_other_sessions_are_reset()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("juliet", "old");
        await using var phone = await server.LoginAsync("juliet", "old", "phone");
        await using var laptop = await server.LoginAsync("juliet", "old", "laptop");

        await laptop.SendAsync("<iq type='get' id='info'><query xmlns='jabber:iq:register'/></iq>");
        var info = (await laptop.ReadUntilAsync(e => e.Id == "info")).Child("query", Namespaces.Register)!;
        Assert.NotNull(info.Child("registered", Namespaces.Register));
        Assert.Equal("juliet", info.ChildText("username", Namespaces.Register));

        await laptop.SendAsync("<iq type='set' id='other'><query xmlns='jabber:iq:register'><username>romeo</username><password>x</password></query></iq>");
        Assert.Equal("bad-request", StanzaError.FromStanza(await laptop.ReadUntilAsync(e => e.Id == "other"))!.Condition);

        await laptop.SendAsync("<iq type='set' id='pw' to='localhost'><query xmlns='jabber:iq:register'><username>juliet</username><password>new</password></query></iq>");
        Assert.Equal("result", (await laptop.ReadUntilAsync(e => e.Id == "pw")).Type);
        Assert.Equal("reset", await phone.ReadStreamErrorConditionAsync());

        await using var fresh = await server.ConnectAsync();
        await fresh.OpenStreamAsync();
        Assert.NotNull(await fresh.AuthenticateAsync("PLAIN", "juliet", "old"));
        await using var withNew = await server.LoginAsync("juliet", "new");
    }

    [Fact]
    public async Task Removal_deletes_the_account_and_its_data_tells_contacts_and_leaves_a_tombstone()
    {
        await using var server = await TestServer.StartAsync(Register);
        await server.AddUserAsync("juliet", "pencil");
        await server.AddUserAsync("romeo", "pencil");
        var juliet = await server.LoginAsync("juliet", "pencil", "phone");
        await using var julietLaptop = await server.LoginAsync("juliet", "pencil", "laptop");
        await using var romeo = await server.LoginAsync("romeo", "pencil", "home");
        await SubscribeBothWaysAsync(juliet, romeo);
        await juliet.SendAsync("<iq type='set' id='vc'><vCard xmlns='vcard-temp'><FN>Juliet</FN></vCard></iq>");
        await juliet.ReadUntilAsync(e => e.Id == "vc");
        await juliet.SendAsync("<iq type='set' id='pep'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='http://jabber.org/protocol/nick'><item id='current'><nick xmlns='http://jabber.org/protocol/nick'>J</nick></item></publish></pubsub></iq>");
        Assert.Equal("result", (await juliet.ReadUntilAsync(e => e.Id == "pep")).Type);
        await romeo.SendAsync("<message to='juliet@localhost/phone' type='chat' id='m1'><body>archived</body></message>");
        await juliet.ReadUntilAsync(e => e.Id == "m1");

        await juliet.SendAsync("<iq type='set' id='bye'><query xmlns='jabber:iq:register'><remove/></query></iq>");
        Assert.Equal("result", (await juliet.ReadUntilAsync(e => e.Id == "bye")).Type);
        Assert.Equal("not-authorized", await juliet.ReadStreamErrorConditionAsync());
        Assert.Equal("not-authorized", await julietLaptop.ReadStreamErrorConditionAsync());
        await juliet.DisposeAsync();

        // The contact hears that the subscriptions both ways are over.
        await romeo.ReadUntilAsync(e => e.Name == Stanza.Presence && e.Type == "unsubscribed" && e.From == "juliet@localhost");
        await romeo.ReadUntilAsync(e => e.Name == Stanza.Presence && e.Type == "unsubscribe" && e.From == "juliet@localhost");

        // Everything the account kept is gone from the store.
        Assert.Null(await server.Services.GetRequiredService<IAccountStore>().FindAsync("juliet"));
        var archive = await server.Services.GetRequiredService<IArchiveStore>().QueryAsync("juliet@localhost", new ArchiveQuery());
        Assert.Empty(archive.Items);
        await romeo.SendAsync("<iq type='get' id='vcard' to='juliet@localhost'><vCard xmlns='vcard-temp'/></iq>");
        Assert.Equal("error", (await romeo.ReadUntilAsync(e => e.Id == "vcard")).Type);

        // A presence for it is told the account is gone, and its name cannot be registered again.
        await romeo.SendAsync("<presence type='probe' to='juliet@localhost'/>");
        var gone = await romeo.ReadUntilAsync(e => e.Name == Stanza.Presence && e.Type == "error");
        Assert.Equal(("gone", "User deleted"), (StanzaError.FromStanza(gone)!.Condition, StanzaError.FromStanza(gone)!.Text));
        await using var newcomer = await server.ConnectAsync();
        await newcomer.OpenStreamAsync();
        var refused = StanzaError.FromStanza(await RegisterAsync(newcomer, "juliet", "again"))!;
        Assert.Equal(("modify", "not-acceptable"), (refused.Type, refused.Condition));

        // An administrator may create the name again: the new account starts with nothing of the old one's.
        await server.AddUserAsync("juliet", "fresh");
        await using var reborn = await server.LoginAsync("juliet", "fresh");
        await reborn.SendAsync("<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>");
        Assert.Empty((await reborn.ReadUntilAsync(e => e.Id == "roster")).Child("query", Namespaces.Roster)!.Elements("item", Namespaces.Roster));
        await reborn.SendAsync("<iq type='get' id='vcard'><vCard xmlns='vcard-temp'/></iq>");
        Assert.Null((await reborn.ReadUntilAsync(e => e.Id == "vcard")).Child("vCard", "vcard-temp")?.ChildText("FN", "vcard-temp"));
        await reborn.SendAsync("<iq type='get' id='nick'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='http://jabber.org/protocol/nick'/></pubsub></iq>");
        Assert.Equal("item-not-found", StanzaError.FromStanza(await reborn.ReadUntilAsync(e => e.Id == "nick"))!.Condition);
    }

    [Fact]
    public async Task Rooms_drop_a_removed_accounts_affiliation_but_keep_a_ban()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("romeo", "pencil");
        await server.AddUserAsync("juliet", "pencil");
        await server.AddUserAsync("tybalt", "pencil");
        await using var romeo = await server.LoginAsync("romeo", "pencil", "home");
        await romeo.SendAsync("<presence to='crypt@conference.localhost/Romeo'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        await romeo.ReadUntilAsync(e => e.Name == Stanza.Presence && e.From == "crypt@conference.localhost/Romeo");
        await romeo.SendAsync("<iq type='set' id='create' to='crypt@conference.localhost'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field><field var='muc#roomconfig_persistentroom'><value>1</value></field></x></query></iq>");
        Assert.Equal("result", (await romeo.ReadUntilAsync(e => e.Id == "create")).Type);
        foreach (var (jid, affiliation) in new[] { ("juliet@localhost", "member"), ("tybalt@localhost", "outcast") })
        {
            await romeo.SendAsync($"<iq type='set' id='aff' to='crypt@conference.localhost'><query xmlns='http://jabber.org/protocol/muc#admin'><item jid='{jid}' affiliation='{affiliation}'/></query></iq>");
            Assert.Equal("result", (await romeo.ReadUntilAsync(e => e.Id == "aff")).Type);
        }

        Assert.Equal(["juliet@localhost"], await AffiliatedAsync(romeo, "member"));

        foreach (var name in new[] { "juliet", "tybalt" })
        {
            await using var leaving = await server.LoginAsync(name, "pencil");
            await leaving.SendAsync("<iq type='set' id='bye'><query xmlns='jabber:iq:register'><remove/></query></iq>");
            Assert.Equal("result", (await leaving.ReadUntilAsync(e => e.Id == "bye")).Type);
        }

        await Eventually.WaitUntilAsync(async () => (await AffiliatedAsync(romeo, "member")).Count == 0);
        Assert.Equal(["tybalt@localhost"], await AffiliatedAsync(romeo, "outcast"));
    }

    [Fact]
    public async Task A_tombstone_expires()
    {
        await using var server = await TestServer.StartAsync(Register, "--Xmpp:AccountTombstoneExpiry=00:00:00.200");
        await server.AddUserAsync("mercutio", "pencil");
        await using (var mercutio = await server.LoginAsync("mercutio", "pencil"))
        {
            await mercutio.SendAsync("<iq type='set' id='bye'><query xmlns='jabber:iq:register'><remove/></query></iq>");
            Assert.Equal("result", (await mercutio.ReadUntilAsync(e => e.Id == "bye")).Type);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Equal("result", (await RegisterAsync(client, "mercutio", "again")).Type);
    }

    [Fact]
    public void An_address_gets_its_allowance_per_window_and_loopback_is_exempt()
    {
        var time = new ManualTime();
        var throttle = new RegistrationThrottle(Options.Create(new GatewayOptions { Registration = { MaxPerAddress = 2, AddressWindow = TimeSpan.FromMinutes(10) } }), time);
        var address = IPAddress.Parse("203.0.113.7");

        Assert.True(throttle.TryTake(address));
        Assert.True(throttle.TryTake(address));
        Assert.False(throttle.TryTake(address));
        Assert.True(throttle.TryTake(IPAddress.Parse("203.0.113.8")));
        Assert.True(throttle.TryTake(IPAddress.Loopback));
        Assert.True(throttle.TryTake(IPAddress.Loopback));
        Assert.True(throttle.TryTake(IPAddress.Loopback));

        time.Now += TimeSpan.FromMinutes(10);
        Assert.True(throttle.TryTake(address));
    }

    private static async Task<Element> RegisterAsync(XmppTestClient client, string username, string password)
    {
        var id = Guid.NewGuid().ToString("N");
        await client.SendAsync($"<iq type='set' id='{id}'><query xmlns='jabber:iq:register'><username>{username}</username><password>{password}</password></query></iq>");
        return await client.ReadUntilAsync(e => e.Id == id);
    }

    private static async Task<List<string?>> AffiliatedAsync(XmppTestClient owner, string affiliation)
    {
        var id = Guid.NewGuid().ToString("N");
        await owner.SendAsync($"<iq type='get' id='{id}' to='crypt@conference.localhost'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='{affiliation}'/></query></iq>");
        var list = (await owner.ReadUntilAsync(e => e.Id == id)).Child("query", "http://jabber.org/protocol/muc#admin")!;
        return [.. list.Elements("item", "http://jabber.org/protocol/muc#admin").Select(i => i.GetAttribute("jid"))];
    }

    private static async Task SubscribeBothWaysAsync(XmppTestClient juliet, XmppTestClient romeo)
    {
        foreach (var client in new[] { juliet, romeo })
        {
            // Subscription changes go to the resources that asked for the roster (RFC 6121 §2.1.6).
            await client.SendAsync("<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>");
            await client.ReadUntilAsync(e => e.Id == "roster");
            await client.SendAsync("<presence/>");
        }

        foreach (var (from, to, toJid, fromJid) in new[] { (juliet, romeo, "romeo@localhost", "juliet@localhost"), (romeo, juliet, "juliet@localhost", "romeo@localhost") })
        {
            await from.SendAsync($"<presence type='subscribe' to='{toJid}'/>");
            await to.ReadUntilAsync(e => e.Name == Stanza.Presence && e.Type == "subscribe" && e.From == fromJid);
            await to.SendAsync($"<presence type='subscribed' to='{fromJid}'/>");
            await from.ReadUntilAsync(e => e.Name == Stanza.Presence && e.Type == "subscribed" && e.From == toJid);
        }
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
