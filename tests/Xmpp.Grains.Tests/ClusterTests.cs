using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Xmpp.Grains.Muc;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Tests.Muc;
using Xmpp.Grains.Users;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests;

/// <summary>
/// Two silos, sessions on both (each listed in its own silo's directory, as its gateway lists it):
/// one activation per grain whoever calls first, stanzas in order across silos, and fan-out that
/// costs one call per silo rather than one per recipient.
/// </summary>
public sealed class ClusterTests : IAsyncDisposable
{
    private const string Room = "square@" + GrainTestCluster.MucService;

    private readonly GrainTestCluster _cluster = new(silos: 2);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Both_silos_calling_a_new_user_and_room_at_once_make_one_activation_each()
    {
        var silos = await _cluster.SilosAsync();
        await _cluster.CreateAccountAsync("juliet");
        var first = silos.Select(s => s.GetRequiredService<IGrainFactory>()).ToList();

        // The same first calls from both silos at the same moment.
        using var start = new ManualResetEventSlim();
        var calls = first.Select(grains => Task.Run(async () =>
        {
            start.Wait();
            await grains.GetGrain<IUserGrain>("juliet@localhost").DeliverAsync([XmlText.Parse("<presence type='probe' from='romeo@localhost' to='juliet@localhost'/>")]);
            return await grains.GetGrain<IRoomGrain>(Room).GetListingAsync();
        })).ToList();
        start.Set();
        await Task.WhenAll(calls);

        var management = first[0].GetGrain<IManagementGrain>(0);
        var activations = await management.GetDetailedGrainStatistics();
        Assert.Single(activations, a => a.GrainId.ToString() == "user/juliet@localhost");
        Assert.Single(activations, a => a.GrainId.ToString() == "room/" + Room);
    }

    [Fact]
    public async Task A_groupchat_message_costs_one_call_per_other_silo_whatever_the_occupants()
    {
        // Three occupants on each silo; the room lives on one of them.
        var clients = new List<GrainTestCluster.Client>();
        for (var i = 0; i < 6; i++)
        {
            var client = await _cluster.ConnectAsync($"user{i}", "desk", silo: i % 2);
            if (i == 0)
            {
                await client.CreateInstantRoomAsync("square", "U0");
            }
            else
            {
                await client.JoinAsync("square", $"U{i}");
                await client.NextAsync(s => s.Child("subject", Namespaces.Client) is not null);
            }

            clients.Add(client);
        }

        foreach (var client in clients)
        {
            await client.Session.DrainAsync();
        }

        foreach (var calls in _cluster.Calls)
        {
            calls.Reset();
        }

        await clients[1].SendAsync($"<message type='groupchat' to='{Room}' id='g1'><body>to all</body></message>");

        foreach (var client in clients)
        {
            var message = await client.NextAsync(s => s.Id == "g1");
            Assert.Equal("to all", message.ChildText("body", Namespaces.Client));
        }

        // The room's silo pushed once to the other silo's hub, and called no account grain to deliver.
        Assert.Equal(1, _cluster.Calls.Sum(c => c["ISessionHub.PushAsync"]));
        Assert.Equal(0, _cluster.Calls.Sum(c => c["IUserGrain.DeliverAsync"] + c["IUserGrain.DeliverAndLocateAsync"]));
    }

    [Fact]
    public async Task A_presence_broadcast_costs_one_call_per_other_silo_once_it_is_known_where_the_contacts_are()
    {
        // Romeo on silo 0, four contacts with their sessions (and so their grains) on silo 1.
        var romeo = await _cluster.ConnectAsync("romeo", "orchard", silo: 0);
        var contacts = new List<GrainTestCluster.Client>();
        for (var i = 0; i < 4; i++)
        {
            var contact = await _cluster.ConnectAsync($"friend{i}", "desk", silo: 1);
            await Subscriptions.MakeMutualAsync(romeo, contact);
            await contact.GoOnlineAsync();
            contacts.Add(contact);
        }

        // The first broadcast goes to each contact's grain, which answers with its silo's relay;
        // the contacts' presences come back (answers to the probes).
        await romeo.GoOnlineAsync();
        foreach (var contact in contacts)
        {
            await contact.NextAsync(s => s.Name == Stanza.Presence && s.From == romeo.Jid.ToString());
        }

        var heard = new HashSet<string>();
        while (heard.Count < contacts.Count)
        {
            heard.Add((await romeo.NextAsync(s => s.Name == Stanza.Presence)).From!);
        }

        // Every answer in: the silos know where the grains are.
        foreach (var silo in await _cluster.SilosAsync())
        {
            await silo.GetRequiredService<IStanzaRouter>().WhenDrainedAsync();
        }

        foreach (var calls in _cluster.Calls)
        {
            calls.Reset();
        }

        await romeo.SendAsync("<presence><show>away</show></presence>");

        foreach (var contact in contacts)
        {
            await contact.NextAsync(s => s.Name == Stanza.Presence && s.From == romeo.Jid.ToString() && s.ChildText("show", Namespaces.Client) == "away");
        }

        // One call from silo 0 to silo 1's relay; the contacts' grains were called within silo 1.
        Assert.Equal(1, _cluster.Calls[0]["IUserRelay.RelayAsync"]);
        Assert.Equal(0, _cluster.Calls[0]["IUserGrain.DeliverAsync"] + _cluster.Calls[0]["IUserGrain.DeliverAndLocateAsync"]);
        Assert.Equal(contacts.Count, _cluster.Calls[1]["IUserGrain.DeliverAndLocateAsync"]);
    }

    [Fact]
    public async Task Stanzas_still_arrive_in_order_after_the_recipients_grain_moved_to_another_silo()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard", silo: 0);
        var juliet = await _cluster.ConnectAsync("juliet", "balcony", silo: 1);
        for (var i = 0; i < 3; i++)
        {
            // The first goes to the grain directly, which answers where it is; the next through silo 1's relay.
            await romeo.SendAsync($"<message to='juliet@localhost/balcony' type='chat' id='before{i}'><body>{i}</body></message>");
            Assert.Equal($"before{i}", (await juliet.NextAsync()).Id);
        }

        Assert.True(_cluster.Calls[0]["IUserRelay.RelayAsync"] > 0);

        // Juliet's grain goes, and comes back on silo 0 with her new session there.
        await juliet.DisconnectAsync();
        await _cluster.DeactivateAsync(juliet.Grain);
        juliet = await _cluster.ConnectAsync("juliet", "balcony", silo: 0);

        for (var i = 0; i < 5; i++)
        {
            await romeo.SendAsync($"<message to='juliet@localhost/balcony' type='chat' id='after{i}'><body>{i}</body></message>");
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"after{i}", (await juliet.NextAsync()).Id);
        }
    }

    [Fact]
    public async Task Stanzas_between_users_on_two_silos_arrive_in_the_order_they_were_sent()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "orchard", silo: 0);
        var juliet = await _cluster.ConnectAsync("juliet", "balcony", silo: 1);

        // As the gateway hands a client's stanzas over: queued in order, never awaited one by one.
        Exception? failure = null;
        var toAccount = new OrderedDelivery<Element>(stanzas => romeo.Grain.ProcessOutboundAsync("orchard", romeo.Reference, stanzas), (_, e) => failure = e);
        for (var i = 0; i < 200; i++)
        {
            toAccount.TryEnqueue(XmlText.Parse($"<message to='juliet@localhost/balcony' type='chat' id='m{i}' from='romeo@localhost/orchard'><body>{i}</body></message>"));
        }

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"m{i}", (await juliet.NextAsync()).Id);
        }

        Assert.Null(failure);
    }

    [Fact]
    public async Task A_user_with_sessions_on_both_silos_gets_the_messages_to_its_bare_jid_on_each()
    {
        var laptop = await _cluster.ConnectAsync("juliet", "laptop", silo: 0);
        var phone = await _cluster.ConnectAsync("juliet", "phone", silo: 1);
        await laptop.GoOnlineAsync();
        await phone.GoOnlineAsync();
        await laptop.Session.DrainAsync();
        await phone.Session.DrainAsync();
        var romeo = await _cluster.ConnectAsync("romeo", "orchard", silo: 1);

        await romeo.SendAsync("<message to='juliet@localhost' type='chat' id='b1'><body>both of you</body></message>");

        // RFC 6121 §8.5.2.1.1: equal priorities, so every available resource gets it.
        Assert.Equal("b1", (await laptop.NextAsync(s => s.Name == Stanza.Message)).Id);
        Assert.Equal("b1", (await phone.NextAsync(s => s.Name == Stanza.Message)).Id);
    }
}
