using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.PubSub;

// Configuring a node (XEP-0060 §8.2). As in Prosody, subscribers are not notified of the change.
public sealed partial class PubSubNodeGrain
{
    private async Task<NodeReply> ConfigureAsync(Element iq, Element configure, NodeRequester requester, bool get)
    {
        RequireNode();
        var affiliation = AffiliationOf(requester);
        if (get)
        {
            // Publishers may read the configuration too (Prosody's get_configuration).
            if (affiliation is not (NodeAffiliation.Owner or NodeAffiliation.Publisher))
            {
                throw PubSubErrors.Forbidden("Only owners and publishers may read the configuration");
            }

            var result = new Element("pubsub", Namespaces.PubSubOwner);
            result.AddChild("configure", Namespaces.PubSubOwner).SetAttribute("node", _node)
                .Add(NodeConfigForm.Render(Config, _pubsub.MaxItems).ToElement());
            return Reply(Stanza.Result(iq, result));
        }

        RequireOwner(requester);
        var form = DataForm.Find(configure) ?? throw new StanzaErrorException(StanzaError.BadRequest("Missing dataform"));
        if (form.Type == DataForm.Cancel)
        {
            return Reply(Stanza.Result(iq)); // §8.2.6
        }

        var config = NodeConfigForm.Apply(Config, form, _pubsub.MaxItems, _isPep);
        State.Config = config;
        var itemsBefore = StoredItems.Count;
        if (!config.PersistItems)
        {
            StoredItems.Clear();
        }

        TrimItems();
        if (config.AccessModel == AccessModel.Whitelist)
        {
            // Subscribers who are not on the whitelist may no longer be subscribed (as in Prosody).
            foreach (var jid in State.Subscriptions.Keys.Where(j => !OnWhitelist(Jid.Parse(j).Bare.ToString())).ToList())
            {
                State.Subscriptions.Remove(jid);
            }
        }

        await SaveAsync();
        if (StoredItems.Count != itemsBefore)
        {
            await SaveItemsAsync();
        }

        return new NodeReply(Stanza.Result(iq), Audience: Audience());
    }

    private bool OnWhitelist(string bare) =>
        State.Affiliations.GetValueOrDefault(bare) is NodeAffiliation.Owner or NodeAffiliation.Publisher or NodeAffiliation.Member;
}
