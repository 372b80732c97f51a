using Xmpp.Protocol;

namespace Xmpp.Grains.Tests;

/// <summary>Helpers that drive the subscription handshake through the grains.</summary>
internal static class Subscriptions
{
    /// <summary>Both users subscribe to each other while offline (no presence sent), then drain what that produced.</summary>
    public static async Task MakeMutualAsync(GrainTestCluster.Client a, GrainTestCluster.Client b)
    {
        await a.SendAsync($"<presence type='subscribe' to='{b.Bare}'/>");
        await b.SendAsync($"<presence type='subscribed' to='{a.Bare}'/>");
        await b.SendAsync($"<presence type='subscribe' to='{a.Bare}'/>");
        await a.SendAsync($"<presence type='subscribed' to='{b.Bare}'/>");
        await a.Session.DrainAsync();
        await b.Session.DrainAsync();
    }

    /// <summary>The client's roster as jid → subscription (fetching it makes the client interested in pushes).</summary>
    public static async Task<Dictionary<string, string>> RosterAsync(GrainTestCluster.Client client)
    {
        await Task.Delay(100);
        await client.SendAsync("<iq type='get' id='roster-check'><query xmlns='jabber:iq:roster'/></iq>");
        Xmpp.Protocol.Xml.Element reply;
        do
        {
            reply = await client.NextAsync();
        }
        while (reply.Id != "roster-check");

        return reply.FirstElement()!.Elements("item", Namespaces.Roster)
            .ToDictionary(i => i.GetAttribute("jid")!, i => i.GetAttribute("subscription")! + (i.GetAttribute("ask") is null ? "" : "+ask"));
    }
}
