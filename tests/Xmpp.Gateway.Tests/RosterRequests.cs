using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>Roster requests of tests that check what storage kept: set one item, list the JIDs.</summary>
internal static class RosterRequests
{
    public static async Task<Element> SetRosterItemAsync(this XmppTestClient client, string jid, string id)
    {
        await client.SendAsync($"<iq type='set' id='{id}'><query xmlns='jabber:iq:roster'><item jid='{jid}'/></query></iq>");
        return await client.ReadUntilAsync(e => e.Id == id);
    }

    public static async Task<string[]> RosterAsync(this XmppTestClient client, string id)
    {
        await client.SendAsync($"<iq type='get' id='{id}'><query xmlns='jabber:iq:roster'/></iq>");
        var result = await client.ReadUntilAsync(e => e.Id == id);
        return [.. result.FirstElement()!.Elements().Select(item => item.GetAttribute("jid")!).Order(StringComparer.Ordinal)];
    }
}
