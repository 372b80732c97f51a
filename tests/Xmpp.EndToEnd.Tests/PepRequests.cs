using System.Xml.Linq;
using Xmpp.Gateway.Tests;

namespace Xmpp.EndToEnd.Tests;

/// <summary>PEP requests (XEP-0163) of the raw test client: publish to its own node, read anyone's node.</summary>
internal static class PepRequests
{
    /// <summary>Publishes one item with the access model as publish-options (XEP-0060 §7.1.5) and returns the answer.</summary>
    public static async Task<XElement> PublishAsync(this XmppTestClient client, string node, string itemId, string payload, string accessModel, string id)
    {
        await client.SendAsync(
            $"""
            <iq type='set' id='{id}'><pubsub xmlns='http://jabber.org/protocol/pubsub'>
              <publish node='{node}'><item id='{itemId}'>{payload}</item></publish>
              <publish-options><x xmlns='jabber:x:data' type='submit'>
                <field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>
                <field var='pubsub#access_model'><value>{accessModel}</value></field>
              </x></publish-options>
            </pubsub></iq>
            """);
        return XElement.Parse((await client.ReadUntilAsync(e => e.Id == id)).ToString());
    }

    /// <summary>The items of <paramref name="owner"/>'s node (XEP-0060 §6.5): the whole answer, result or error.</summary>
    public static async Task<XElement> PepItemsAsync(this XmppTestClient client, string owner, string node, string id)
    {
        await client.SendAsync($"<iq type='get' id='{id}' to='{owner}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='{node}'/></pubsub></iq>");
        return XElement.Parse((await client.ReadUntilAsync(e => e.Id == id)).ToString());
    }
}
