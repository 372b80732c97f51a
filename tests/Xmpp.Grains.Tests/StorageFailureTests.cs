using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests;

/// <summary>
/// Storage refuses writes: every request whose effect could not be stored is answered
/// <c>wait</c>/<c>internal-server-error</c>, memory drops the unsaved change (it never shows
/// what storage does not hold), and the same request succeeds once storage works again.
/// </summary>
public sealed class StorageFailureTests : IAsyncDisposable
{
    private static string AddNurse(string id) => $"<iq type='set' id='{id}'><query xmlns='jabber:iq:roster'><item jid='nurse@localhost'/></query></iq>";

    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_roster_change_that_was_not_stored_is_answered_with_an_error_and_forgotten()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await romeo.SendAsync("<iq type='get' id='g1'><query xmlns='jabber:iq:roster'/></iq>");
        await romeo.NextAsync();
        _cluster.Storage.FailWrites = true;

        await romeo.SendAsync(AddNurse("s1"));

        AssertNotSaved(await romeo.NextAsync(), "s1");
        await romeo.SendAsync("<iq type='get' id='g2'><query xmlns='jabber:iq:roster'/></iq>");
        var roster = await romeo.NextAsync(); // no push came before it
        Assert.Equal(("result", "g2"), (roster.Type, roster.Id));
        Assert.Empty(roster.FirstElement()!.Elements());

        _cluster.Storage.FailWrites = false;
        await romeo.SendAsync(AddNurse("s2"));

        Assert.Equal(("result", "s2"), ((await romeo.NextAsync()).Type, "s2"));
        Assert.Equal("set", (await romeo.NextAsync()).Type); // the push
    }

    [Fact]
    public async Task A_message_that_could_not_be_stored_offline_goes_back_to_its_sender()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        await _cluster.CreateAccountAsync("juliet");
        _cluster.Storage.FailWrites = true;

        await romeo.SendAsync("<message to='juliet@localhost' id='m1' type='chat'><body>lost?</body></message>");

        AssertNotSaved(await romeo.NextAsync(), "m1");
        _cluster.Storage.FailWrites = false;
        await romeo.SendAsync("<message to='juliet@localhost' id='m2' type='chat'><body>stored</body></message>");
        await _cluster.Storage.WaitUntilStoredAsync(new("user", "juliet@localhost", "offline"), "the second message is stored");
        await romeo.AssertNothingAsync();

        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.GoOnlineAsync();
        var delivered = (await juliet.Session.DrainAsync()).Where(s => s.Name == Stanza.Message).ToList();
        Assert.Equal(["stored"], delivered.Select(m => m.ChildText("body", Namespaces.Client)));
    }

    [Fact]
    public async Task A_block_that_was_not_stored_is_answered_with_an_error_and_not_applied()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        _cluster.Storage.FailWrites = true;

        await romeo.SendAsync("<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='tybalt@localhost'/></block></iq>");

        AssertNotSaved(await romeo.NextAsync(), "b1");
        await romeo.SendAsync("<iq type='get' id='b2'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
        Assert.Empty((await romeo.NextAsync()).FirstElement()!.Elements());
    }

    private static void AssertNotSaved(Element reply, string id)
    {
        Assert.Equal(("error", id), (reply.Type, reply.Id));
        var error = StanzaError.FromStanza(reply)!;
        Assert.Equal((StanzaError.TypeWait, "internal-server-error"), (error.Type, error.Condition));
    }
}
