using Xmpp.Grains.Tests.Muc;
using Xmpp.Grains.Users;
using Xmpp.Protocol;

namespace Xmpp.Grains.Tests;

/// <summary>Private XML storage (XEP-0049) through the account's grain.</summary>
public sealed class PrivateStorageTests : IAsyncDisposable
{
    private const string Bookmarks = "<storage xmlns='storage:bookmarks'><conference jid='council@conference.localhost' autojoin='true'><nick>Romeo</nick></conference></storage>";

    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_fragment_is_kept_per_name_and_namespace_across_a_restart_and_an_empty_one_clears_it()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        Assert.Equal("<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query>",
            (await romeo.QueryAsync("<iq type='get' id='g0'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>")).FirstElement()!.ToString());

        Assert.Equal("result", (await romeo.QueryAsync($"<iq type='set' id='s1'><query xmlns='jabber:iq:private'>{Bookmarks}<prefs xmlns='exodus:prefs'><nick>R</nick></prefs></query></iq>")).Type);
        await _cluster.RestartAsync();
        romeo = await _cluster.ConnectAsync("romeo", "laptop");

        var kept = await romeo.QueryAsync("<iq type='get' id='g1'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>");
        Assert.Equal($"<query xmlns='jabber:iq:private'>{Bookmarks}</query>", kept.FirstElement()!.ToString());
        var sameNameOtherNamespace = await romeo.QueryAsync("<iq type='get' id='g2'><query xmlns='jabber:iq:private'><storage xmlns='storage:rosternotes'/></query></iq>");
        Assert.Empty(sameNameOtherNamespace.FirstElement()!.FirstElement()!.Elements());

        await romeo.QueryAsync("<iq type='set' id='s2'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>");
        var cleared = await romeo.QueryAsync("<iq type='get' id='g3'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>");
        Assert.Empty(cleared.FirstElement()!.FirstElement()!.Elements());
        var other = await romeo.QueryAsync("<iq type='get' id='g4'><query xmlns='jabber:iq:private'><prefs xmlns='exodus:prefs'/></query></iq>");
        Assert.Equal("R", other.FirstElement()!.FirstElement()!.ChildText("nick", "exodus:prefs"));
    }

    [Theory]
    [InlineData("<iq type='set' id='e1'><query xmlns='jabber:iq:private'/></iq>", "not-acceptable")]
    [InlineData("<iq type='get' id='e2'><query xmlns='jabber:iq:private'/></iq>", "not-acceptable")]
    [InlineData("<iq type='set' id='e3'><query xmlns='jabber:iq:private'><data>no namespace of its own</data></query></iq>", "not-acceptable")]
    [InlineData("<iq type='get' id='e4'><query xmlns='jabber:iq:private'><a xmlns='x:a'/><b xmlns='x:b'/></query></iq>", "bad-request")]
    public async Task A_query_without_one_fragment_in_a_namespace_of_its_own_is_refused(string request, string condition)
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        Assert.Equal(condition, StanzaError.FromStanza(await romeo.QueryAsync(request))?.Condition);
    }

    [Fact]
    public async Task Another_account_neither_reads_nor_writes_it_and_an_account_keeps_a_bounded_number()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "laptop");
        var tybalt = await _cluster.ConnectAsync("tybalt", "street");
        await romeo.QueryAsync($"<iq type='set' id='s1'><query xmlns='jabber:iq:private'>{Bookmarks}</query></iq>");

        var read = await tybalt.QueryAsync("<iq type='get' id='t1' to='romeo@localhost'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>");
        Assert.Equal("service-unavailable", StanzaError.FromStanza(read)?.Condition);
        var written = await tybalt.QueryAsync("<iq type='set' id='t2' to='romeo@localhost'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>");
        Assert.Equal("service-unavailable", StanzaError.FromStanza(written)?.Condition);
        Assert.Contains("council@conference.localhost", (await romeo.QueryAsync("<iq type='get' id='g1'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>")).ToString(), StringComparison.Ordinal);

        var many = string.Concat(Enumerable.Range(0, UserGrain.MaxPrivateFragments + 1).Select(i => $"<p xmlns='x:{i}'>{i}</p>"));
        var tooMany = await romeo.QueryAsync($"<iq type='set' id='s2'><query xmlns='jabber:iq:private'>{many}</query></iq>");
        Assert.Equal("resource-constraint", StanzaError.FromStanza(tooMany)?.Condition);
        Assert.Contains("council@conference.localhost", (await romeo.QueryAsync("<iq type='get' id='g2'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>")).ToString(), StringComparison.Ordinal);
    }
}
