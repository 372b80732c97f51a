using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Muc;

/// <summary>The MUC steps tests repeat: join, create an instant room, read until a kind of stanza.</summary>
public static class MucClientExtensions
{
    public static Task JoinAsync(this GrainTestCluster.Client client, string room, string nick, string extra = "") =>
        client.SendAsync($"<presence to='{room}@{GrainTestCluster.MucService}/{nick}'><x xmlns='http://jabber.org/protocol/muc'>{extra}</x></presence>");

    /// <summary>Joins, which creates the room, and accepts the default configuration (an instant room).</summary>
    public static async Task CreateInstantRoomAsync(this GrainTestCluster.Client owner, string room, string nick)
    {
        await owner.JoinAsync(room, nick);
        var created = await owner.NextAsync();
        Assert.True(created.Child("x", Namespaces.MucUser) is not null, created.ToString());
        Assert.Contains(created.Child("x", Namespaces.MucUser)!.Elements("status", Namespaces.MucUser), s => s.GetAttribute("code") == "201");
        Assert.NotNull((await owner.NextAsync()).Child("subject", Namespaces.Client));
        await owner.SendAsync($"<iq type='set' id='instant' to='{room}@{GrainTestCluster.MucService}'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
        Assert.Equal("result", (await owner.NextAsync()).Type);
    }

    /// <summary>The owner submits the configuration form with only <c>persistentroom</c> set, and it is accepted.</summary>
    public static async Task MakePersistentAsync(this GrainTestCluster.Client owner, string roomJid)
    {
        var reply = await owner.QueryAsync($"""
            <iq type='set' id='cfg' to='{roomJid}'><query xmlns='http://jabber.org/protocol/muc#owner'>
              <x xmlns='jabber:x:data' type='submit'>
                <field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>
                <field var='muc#roomconfig_persistentroom'><value>1</value></field>
              </x></query></iq>
            """);
        Assert.Equal("result", reply.Type);
    }

    /// <summary>Sends an IQ and returns its answer (skipping anything else the session gets meanwhile).</summary>
    public static async Task<Element> QueryAsync(this GrainTestCluster.Client client, string iq)
    {
        var request = XmlText.Parse(iq);
        await client.SendAsync(iq);
        while (true)
        {
            var next = await client.NextAsync();
            if (next.Name == Stanza.Iq && next.Id == request.Id)
            {
                return next;
            }
        }
    }
}
