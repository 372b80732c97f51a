using Xmpp.Protocol;

namespace Xmpp.Grains.Tests;

/// <summary>RFC 6121 §3 and §4: the subscription state machine and presence broadcast.</summary>
public sealed class PresenceTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_request_made_while_the_contact_is_offline_is_delivered_complete_at_its_next_initial_presence()
    {
        await _cluster.CreateAccountAsync("juliet");
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await romeo.SendAsync("<presence type='subscribe' to='juliet@localhost'><status>It is I</status><nick xmlns='http://jabber.org/protocol/nick'>Romeo</nick></presence>");
        await romeo.Session.DrainAsync();

        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();

        var request = await juliet.NextAsync();
        Assert.Equal(("subscribe", "romeo@localhost"), (request.Type, request.From));
        Assert.Equal("It is I", request.ChildText("status", Namespaces.Client));
        Assert.NotNull(request.Child("nick", "http://jabber.org/protocol/nick"));
    }

    [Fact]
    public async Task Approval_moves_both_rosters_and_shares_presence()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await romeo.GoOnlineAsync();
        await juliet.GoOnlineAsync();

        await romeo.SendAsync("<presence type='subscribe' to='juliet@localhost'/>");
        var ack = await romeo.NextAsync();
        Assert.Equal(("unavailable", "juliet@localhost"), (ack.Type, ack.From));
        Assert.Equal("subscribe", (await juliet.NextAsync()).Type);
        Assert.Equal("none+ask", (await Subscriptions.RosterAsync(romeo))["juliet@localhost"]);

        await juliet.SendAsync("<presence type='subscribed' to='romeo@localhost'/>");

        // Romeo fetched the roster, so he is interested: the approval, then the push (as Prosody).
        var subscribed = await romeo.NextAsync();
        Assert.Equal("subscribed", subscribed.Type);
        var push = await romeo.NextAsync();
        Assert.Equal("set", push.Type);
        var presence = await romeo.NextAsync();
        Assert.Equal(juliet.Jid.ToString(), presence.From);
        Assert.Null(presence.Type);
        Assert.NotNull(presence.Child("delay", Namespaces.Delay));
        Assert.Equal("to", (await Subscriptions.RosterAsync(romeo))["juliet@localhost"]);
        Assert.Equal("from", (await Subscriptions.RosterAsync(juliet))["romeo@localhost"]);
    }

    [Fact]
    public async Task A_pre_approved_request_is_approved_without_asking_the_user()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();
        await juliet.SendAsync("<presence type='subscribed' to='romeo@localhost'/>");
        await romeo.AssertNothingAsync(); // RFC 6121 §3.4: a pre-approval is not sent to the contact
        Assert.Empty(await Subscriptions.RosterAsync(romeo)); // and romeo now receives roster pushes

        await romeo.SendAsync("<presence type='subscribe' to='juliet@localhost'/>");

        await romeo.NextAsync(s => s.FirstElement()?.Child("item", Namespaces.Roster) is { } item
            && item.GetAttribute("jid") == "juliet@localhost" && item.GetAttribute("subscription") == "to"); // the roster push
        await juliet.AssertNothingAsync(); // the request was approved on her behalf, never shown to her
        Assert.Equal("to", (await Subscriptions.RosterAsync(romeo))["juliet@localhost"]);
    }

    [Fact]
    public async Task Cancelling_a_subscription_makes_the_user_unavailable_to_the_contact()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await Subscriptions.MakeMutualAsync(romeo, juliet);
        await romeo.GoOnlineAsync();
        await romeo.NextAsync(p => p.From == "juliet@localhost" && p.Type == "unavailable"); // the answer to his probe
        await juliet.GoOnlineAsync();
        await romeo.NextAsync(p => p.Name == Stanza.Presence && p.From == juliet.Jid.ToString() && p.Type is null);

        await juliet.SendAsync("<presence type='unsubscribed' to='romeo@localhost'/>");

        var unavailable = await romeo.NextAsync();
        Assert.Equal(("unavailable", juliet.Jid.ToString()), (unavailable.Type, unavailable.From));
        Assert.Equal("from", (await Subscriptions.RosterAsync(romeo))["juliet@localhost"]);
        Assert.Equal("to", (await Subscriptions.RosterAsync(juliet))["romeo@localhost"]);
    }

    [Fact]
    public async Task Initial_presence_probes_contacts_and_disconnect_broadcasts_unavailable()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await Subscriptions.MakeMutualAsync(romeo, juliet);
        await juliet.GoOnlineAsync("<presence><show>away</show></presence>");
        var probeAnswer = await juliet.NextAsync(); // romeo is offline: Prosody answers with unavailable from the bare JID
        Assert.Equal(("unavailable", "romeo@localhost"), (probeAnswer.Type, probeAnswer.From));

        await romeo.GoOnlineAsync();

        var probed = await romeo.NextAsync();
        Assert.Equal(juliet.Jid.ToString(), probed.From);
        Assert.Equal("away", probed.ChildText("show", Namespaces.Client));
        Assert.Equal(romeo.Jid.ToString(), (await juliet.NextAsync()).From);

        await juliet.DisconnectAsync();

        var gone = await romeo.NextAsync();
        Assert.Equal(("unavailable", juliet.Jid.ToString()), (gone.Type, gone.From));
    }

    [Fact]
    public async Task Directed_presence_recipients_hear_of_unavailability()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var nurse = await _cluster.ConnectAsync("nurse", "kitchen");
        await romeo.GoOnlineAsync();
        await romeo.SendAsync($"<presence to='{nurse.Jid}'/>");
        Assert.Equal(romeo.Jid.ToString(), (await nurse.NextAsync()).From);

        await romeo.DisconnectAsync();

        var gone = await nurse.NextAsync();
        Assert.Equal(("unavailable", romeo.Jid.ToString()), (gone.Type, gone.From));
    }

    [Fact]
    public async Task Binding_the_same_resource_again_closes_the_old_session_with_conflict()
    {
        var first = await _cluster.ConnectAsync("romeo", "laptop");
        await _cluster.ConnectAsync("romeo", "laptop");

        Assert.Equal(StreamError.Conflict, first.Session.ClosedWith?.Condition);
    }

    [Fact]
    public async Task Unknown_presence_types_are_bad_requests()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");

        await romeo.SendAsync("<presence type='dance' to='juliet@localhost'/>");

        Assert.Equal("bad-request", StanzaError.FromStanza(await romeo.NextAsync())!.Condition);
    }
}
