using Xmpp.Grains.PubSub.State;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.PubSub;

/// <summary>A new node's configuration (XEP-0060 §8.3, the default node configuration).</summary>
public static class NodeDefaults
{
    /// <summary>
    /// Prosody's defaults; for PEP those of mod_pep and XEP-0163 §4: presence access, one item,
    /// the last item sent on subscription and presence.
    /// </summary>
    public static NodeConfig For(bool pep) => pep
        ? new NodeConfig { AccessModel = AccessModel.Presence, MaxItems = 1, SendLastPublishedItem = "on_sub_and_presence" }
        : new NodeConfig();

    /// <summary>The subscription options form (§6.3, §6.4): whether notifications are delivered.</summary>
    public static DataForm SubscriptionOptions(bool deliver)
    {
        var form = new DataForm().WithFormType(Namespaces.PubSubSubscribeOptions);
        form.Add(new DataFormField("pubsub#deliver", DataFormField.Boolean) { Label = "Enable delivery?" }).WithValue(deliver);
        return form;
    }

    /// <summary>The answer to a request for the default configuration (§8.3).</summary>
    public static Element DefaultReply(Element iq, bool pep, int maxItemsLimit)
    {
        var pubsub = new Element("pubsub", Namespaces.PubSubOwner);
        pubsub.AddChild("default", Namespaces.PubSubOwner).Add(NodeConfigForm.Render(For(pep), maxItemsLimit).ToElement());
        return Stanza.Result(iq, pubsub);
    }
}
