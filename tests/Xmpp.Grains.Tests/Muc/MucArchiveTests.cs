using Xmpp.Protocol;
using Xmpp.Protocol.DataForms;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Muc;

/// <summary>A room's archive (XEP-0313 with XEP-0045) beyond the conformance scripts: the whois rule and the owner's switch.</summary>
public sealed class MucArchiveTests : IAsyncDisposable
{
    private const string Room = "vault@" + GrainTestCluster.MucService;

    private readonly GrainTestCluster _cluster = new(xmpp: o => o.Archive.Enabled = true);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    private static string Configure(string var, string value) => $"""
        <iq type='set' id='cfg-{var}' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#owner'>
          <x xmlns='jabber:x:data' type='submit'>
            <field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>
            <field var='{var}'><value>{value}</value></field>
          </x></query></iq>
        """;

    private static string Query(string id) => $"<iq type='set' id='{id}' to='{Room}'><query xmlns='urn:xmpp:mam:2' queryid='{id}'/></iq>";

    [Fact]
    public async Task In_a_non_anonymous_room_everyone_sees_who_sent_what()
    {
        var owner = await _cluster.ConnectAsync("romeo", "desk");
        await owner.CreateInstantRoomAsync("vault", "Romeo");
        Assert.Equal("result", (await owner.QueryAsync(Configure("muc#roomconfig_whois", "anyone"))).Type);
        await owner.SendAsync($"<message type='groupchat' to='{Room}' id='g1'><body>hello</body></message>");
        await owner.NextAsync(s => s.Id == "g1");

        var guest = await _cluster.ConnectAsync("juliet", "phone");
        await guest.SendAsync(Query("q1"));
        var result = await guest.NextAsync(s => s.Name == Stanza.Message);
        var archived = result.Child("result", Namespaces.Mam)!.Child("forwarded", Namespaces.Forward)!.Child("message", Namespaces.Client)!;
        Assert.Equal("romeo@localhost", archived.Child("x", Namespaces.MucUser)?.Child("item", Namespaces.MucUser)?.GetAttribute("jid"));
    }

    [Fact]
    public async Task An_owner_who_turns_archiving_off_gets_no_stanza_ids_no_feature_and_no_archive()
    {
        var owner = await _cluster.ConnectAsync("romeo", "desk");
        await owner.CreateInstantRoomAsync("vault", "Romeo");
        var form = (await owner.QueryAsync($"<iq type='get' id='form' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#owner'/></iq>")).FirstElement()!;
        Assert.Equal("1", DataForm.Find(form)!["muc#roomconfig_enablearchiving"]?.Value);

        Assert.Equal("result", (await owner.QueryAsync(Configure("muc#roomconfig_enablearchiving", "0"))).Type);
        await owner.SendAsync($"<message type='groupchat' to='{Room}' id='g2'><body>off the record</body></message>");
        var reflected = await owner.NextAsync(s => s.Id == "g2");
        Assert.Null(reflected.Child("stanza-id", Namespaces.StanzaId));

        var info = await owner.QueryAsync($"<iq type='get' id='info' to='{Room}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var features = info.FirstElement()!.Elements("feature", Namespaces.DiscoInfo).Select(f => f.GetAttribute("var")).ToList();
        Assert.DoesNotContain(Namespaces.Mam, features);
        Assert.Contains(Namespaces.StanzaId, features);

        var refused = await owner.QueryAsync(Query("q2"));
        Assert.Equal("feature-not-implemented", StanzaError.FromStanza(refused)?.Condition);
        Assert.Null(await _cluster.Archives.GetBoundsAsync(Room));
    }

    [Fact]
    public async Task The_query_form_lists_the_fields_an_archive_takes()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "desk");
        var reply = await romeo.QueryAsync("<iq type='get' id='fields'><query xmlns='urn:xmpp:mam:2'/></iq>");
        var form = DataForm.Find(reply.Child("query", Namespaces.Mam)!)!;
        Assert.Equal(Namespaces.Mam, form.FormType);
        Assert.Equal(["FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids"], form.Fields.Select(f => f.Var));
    }
}
