using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests;

/// <summary>
/// Stanzas queued for a session that ended before its client got them come back to the account
/// with the unbind, and are handled as undeliverable (RFC 6121 §8): nothing vanishes.
/// </summary>
public sealed class UndeliveredTests : IAsyncDisposable
{
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_message_goes_offline_a_request_and_a_groupchat_message_are_answered_with_an_error_and_presence_and_headlines_are_dropped()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();

        await juliet.DisconnectAsync(
            XmlText.Parse("<message from='romeo@localhost/laptop' to='juliet@localhost/balcony' type='chat' id='m1'><body>unread</body></message>"),
            XmlText.Parse("<iq from='romeo@localhost/laptop' to='juliet@localhost/balcony' type='get' id='q1'><query xmlns='jabber:iq:version'/></iq>"),
            XmlText.Parse("<presence from='romeo@localhost/laptop' to='juliet@localhost/balcony'/>"),
            XmlText.Parse("<message from='romeo@localhost/laptop' to='juliet@localhost/balcony' type='groupchat' id='g1'><body>to the room</body></message>"),
            XmlText.Parse("<message from='romeo@localhost/laptop' to='juliet@localhost/balcony' type='headline' id='h1'><body>news</body></message>"));

        // The request's and the groupchat message's sender hear that nobody will take them
        // (RFC 6121 §8.5.3.2.1: a room then knows the occupant is gone); the message waits offline.
        foreach (var id in new[] { "q1", "g1" })
        {
            var error = await romeo.NextAsync(s => s.Id == id);
            Assert.Equal(("error", "service-unavailable"), (error.Type, StanzaError.FromStanza(error)!.Condition));
        }

        await _cluster.Storage.WaitUntilStoredAsync(new("user", "juliet@localhost", "offline"), "the message is stored offline");

        var again = await _cluster.ConnectAsync("juliet", "balcony");
        await again.GoOnlineAsync();
        var stored = await again.NextAsync(s => s.Name == Stanza.Message);
        Assert.Equal("m1", stored.Id);
        var stamp = Assert.Single(stored.Elements("delay", Namespaces.Delay)).GetAttribute("stamp");
        await romeo.AssertNothingAsync(); // no error for the message, the presence or the headline

        // Replayed from offline storage and not written either: stored again (the unbind completes
        // once it is), and replayed with its first stamp only.
        await again.DisconnectAsync(stored);
        var third = await _cluster.ConnectAsync("juliet", "balcony");
        await third.GoOnlineAsync();
        var replayed = await third.NextAsync(s => s.Name == Stanza.Message);
        Assert.Equal(stamp, Assert.Single(replayed.Elements("delay", Namespaces.Delay)).GetAttribute("stamp"));
    }

    [Fact]
    public async Task What_could_not_be_pushed_to_another_silo_goes_back_to_the_account_as_undelivered()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var remote = await _cluster.ConnectAsync("juliet", "balcony", listed: false);
        await remote.GoOnlineAsync();
        _cluster.OtherSiloHub.Unreachable = true;

        await romeo.SendAsync("<message to='juliet@localhost' type='chat' id='m1'><body>across</body></message>");

        await _cluster.Storage.WaitUntilStoredAsync(new("user", "juliet@localhost", "offline"), "the message is stored offline");
        await romeo.AssertNothingAsync();
        var again = await _cluster.ConnectAsync("juliet", "balcony");
        await again.GoOnlineAsync();
        Assert.Equal("m1", (await again.NextAsync(s => s.Name == Stanza.Message)).Id);
    }

    [Fact]
    public async Task A_message_to_the_bare_jid_is_not_repeated_to_a_session_that_got_it_but_reaches_one_that_did_not()
    {
        var laptop = await _cluster.ConnectAsync("juliet", "laptop");
        var phone = await _cluster.ConnectAsync("juliet", "phone");
        await laptop.GoOnlineAsync("<presence><priority>5</priority></presence>");
        await phone.GoOnlineAsync("<presence><priority>5</priority></presence>");
        var desk = await _cluster.ConnectAsync("juliet", "desk");
        await desk.GoOnlineAsync("<presence><priority>1</priority></presence>");
        await phone.Session.DrainAsync();
        await desk.Session.DrainAsync();

        // Both top-priority sessions got their copy; the laptop's never went out.
        await laptop.DisconnectAsync(XmlText.Parse("<message from='romeo@localhost/x' to='juliet@localhost' type='chat' id='both'><body>hi</body></message>"));
        Assert.DoesNotContain(await phone.Session.DrainAsync(), s => s.Name == Stanza.Message);

        // Now the phone, the only top one left, ends with one unwritten: the desk (priority 1) never got it.
        await phone.DisconnectAsync(XmlText.Parse("<message from='romeo@localhost/x' to='juliet@localhost' type='chat' id='only'><body>hi</body></message>"));
        Assert.Equal("only", (await desk.NextAsync(s => s.Name == Stanza.Message)).Id);
    }

    [Fact]
    public async Task What_a_replaced_session_never_wrote_goes_to_the_session_that_replaced_it()
    {
        var first = await _cluster.ConnectAsync("juliet", "balcony");
        var second = await _cluster.ConnectAsync("juliet", "balcony");
        Assert.Equal(new StreamError(StreamError.Conflict, "Replaced by new connection"), await first.Session.ClosedAsync());

        await first.DisconnectAsync(XmlText.Parse("<message from='romeo@localhost/x' to='juliet@localhost/balcony' type='chat' id='m1'><body>late</body></message>"));
        Assert.Equal("m1", (await second.NextAsync(s => s.Name == Stanza.Message)).Id);
    }
}
