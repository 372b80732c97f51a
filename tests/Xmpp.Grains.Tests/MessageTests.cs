using Xmpp.Protocol;

namespace Xmpp.Grains.Tests;

/// <summary>RFC 6121 §8.5 delivery rules and XEP-0160 offline storage.</summary>
public sealed class MessageTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Messages_to_an_offline_user_are_stored_and_delivered_once_with_delay()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await _cluster.CreateAccountAsync("juliet");
        await romeo.SendAsync("<message to='juliet@localhost' type='chat'><body>Are you there?</body></message>");
        await _cluster.Storage.WaitUntilStoredAsync(new("user", "juliet@localhost", "offline"), "the message is stored offline");
        await romeo.AssertNothingAsync(); // no error bounced to the sender

        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();

        var stored = await juliet.NextAsync();
        Assert.Equal("Are you there?", stored.ChildText("body", Namespaces.Client));
        Assert.Equal("localhost", stored.Child("delay", Namespaces.Delay)!.GetAttribute("from"));
        var phone = await _cluster.ConnectAsync("juliet", "phone");
        await phone.GoOnlineAsync();
        var later = await phone.Session.DrainAsync(); // the other resource's presence, and no message: consumed already
        Assert.DoesNotContain(later, stanza => stanza.Name == Stanza.Message);
    }

    [Fact]
    public async Task Offline_storage_is_bounded_and_says_so()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await _cluster.CreateAccountAsync("juliet");
        for (var i = 0; i < 3; i++)
        {
            await romeo.SendAsync($"<message to='juliet@localhost'><body>{i}</body></message>");
        }

        await romeo.SendAsync("<message to='juliet@localhost' id='overflow'><body>too many</body></message>");

        var error = await romeo.NextAsync();
        Assert.True(error.Id == "overflow", error.ToString());
        Assert.Equal(("error", "overflow"), (error.Type, error.Id));
        Assert.Equal("service-unavailable", StanzaError.FromStanza(error)!.Condition);
    }

    [Fact]
    public async Task Bare_jid_messages_go_to_the_highest_non_negative_priority()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var low = await _cluster.ConnectAsync("juliet", "low");
        var high = await _cluster.ConnectAsync("juliet", "high");
        var negative = await _cluster.ConnectAsync("juliet", "negative");
        await low.GoOnlineAsync("<presence><priority>1</priority></presence>");
        await high.GoOnlineAsync("<presence><priority>5</priority></presence>");
        await negative.GoOnlineAsync("<presence><priority>-1</priority></presence>");
        await low.Session.DrainAsync();
        await high.Session.DrainAsync();
        await negative.Session.DrainAsync();

        await romeo.SendAsync("<message to='juliet@localhost' type='chat'><body>hi</body></message>");

        Assert.Equal("hi", (await high.NextAsync()).ChildText("body", Namespaces.Client));
        await low.AssertNothingAsync();
        await negative.AssertNothingAsync();
    }

    [Fact]
    public async Task Full_jid_messages_reach_a_connected_resource_even_before_it_is_available()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");

        await romeo.SendAsync($"<message to='{juliet.Jid}' type='chat'><body>psst</body></message>");

        var message = await juliet.NextAsync();
        Assert.Equal(romeo.Jid.ToString(), message.From);
    }

    [Fact]
    public async Task Requests_to_a_missing_resource_or_account_get_service_unavailable()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await _cluster.CreateAccountAsync("juliet");

        await romeo.SendAsync("<iq type='get' id='q1' to='juliet@localhost/nowhere'><ping xmlns='urn:xmpp:ping'/></iq>");
        await romeo.SendAsync("<message type='chat' id='m1' to='nobody@localhost'><body>hello?</body></message>");

        // Two different grains answer, in either order.
        var errors = new[] { await romeo.NextAsync(), await romeo.NextAsync() }.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [("m1", "service-unavailable"), ("q1", "service-unavailable")],
            errors.Select(e => (e.Id, StanzaError.FromStanza(e)!.Condition)));
    }

    [Fact]
    public async Task Groupchat_to_a_bare_jid_is_refused_and_headlines_are_never_stored()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await _cluster.CreateAccountAsync("juliet");

        await romeo.SendAsync("<message type='headline' to='juliet@localhost'><body>news</body></message>");
        await romeo.SendAsync("<message type='groupchat' id='g1' to='juliet@localhost'><body>room?</body></message>");

        Assert.Equal("g1", (await romeo.NextAsync()).Id);
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();
        await juliet.AssertNothingAsync();
    }
}
