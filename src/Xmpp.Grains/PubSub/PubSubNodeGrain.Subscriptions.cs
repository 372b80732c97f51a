using Xmpp.Grains.PubSub.State;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.PubSub;

// Subscribing, unsubscribing and subscription options (XEP-0060 §6.1–§6.4), the entity's own
// subscriptions and affiliation (§5.6, §5.7), and their management by owners (§8.8, §8.9). One
// subscription per JID, so no subids; the reply shapes are Prosody's.
public sealed partial class PubSubNodeGrain
{
    /// <summary>The JIDs (bare or full, as subscribed) of <paramref name="bare"/>'s subscriptions here.</summary>
    private IEnumerable<string> SubscriptionsOf(string bare) =>
        State.Subscriptions.Keys.Where(jid => Jid.TryParse(jid, out var parsed) && parsed.Bare.ToString() == bare);

    /// <summary>The subscribing JID of a request, which must be the requester's own (bare or full) unless they own the node.</summary>
    private string SubscriberJid(Element request, NodeRequester requester, bool forbiddenOnMismatch)
    {
        if (!Jid.TryParse(request.GetAttribute("jid"), out var jid))
        {
            throw PubSubErrors.InvalidJid();
        }

        if (jid.Bare.ToString() != requester.Bare && !(Exists && AffiliationOf(requester) == NodeAffiliation.Owner))
        {
            // §6.1.3.1: bad-request with invalid-jid; §6.2.3.3: forbidden for an unsubscription.
            throw forbiddenOnMismatch ? PubSubErrors.Forbidden("You may not act for another JID") : PubSubErrors.InvalidJid();
        }

        return jid.ToString();
    }

    private async Task<NodeReply> SubscribeAsync(Element iq, Element subscribe, Element pubsub, NodeRequester requester)
    {
        var jid = SubscriberJid(subscribe, requester, forbiddenOnMismatch: false);
        RequireNode();
        var subscriber = Jid.Parse(jid).Bare.ToString();
        if (subscriber == requester.Bare)
        {
            CheckAccess(requester);
        }
        else if (State.Affiliations.GetValueOrDefault(subscriber) == NodeAffiliation.Outcast)
        {
            throw PubSubErrors.Forbidden("Outcasts may not be subscribed"); // an owner subscribing someone else
        }
        var subscription = new NodeSubscription();
        if (pubsub.Child("options", Namespaces.PubSub) is { } options)
        {
            var form = DataForm.Find(options) ?? throw PubSubErrors.InvalidOptions("The options need a form");
            subscription.Deliver = Deliver(form) ?? true;
        }

        State.Subscriptions[jid] = subscription; // subscribing again replaces the options (as in Prosody)
        await SaveAsync();

        var result = new Element("pubsub", Namespaces.PubSub);
        result.Add(SubscriptionElement(jid, "subscribed", Namespaces.PubSub, withNode: true));

        // §6.1.7: the last published item follows the subscription's confirmation.
        List<Element>? after = null;
        if (Config.SendLastPublishedItem != "never" && StoredItems.LastOrDefault() is { } last)
        {
            after = [Notification(jid, ItemsEvent(last))];
        }

        return new NodeReply(Stanza.Result(iq, result), AfterReply: after);
    }

    private async Task<NodeReply> UnsubscribeAsync(Element iq, Element unsubscribe, NodeRequester requester)
    {
        var jid = SubscriberJid(unsubscribe, requester, forbiddenOnMismatch: true);
        RequireNode();
        if (!State.Subscriptions.Remove(jid))
        {
            throw PubSubErrors.NotSubscribed();
        }

        await SaveAsync();
        var result = new Element("pubsub", Namespaces.PubSub);
        result.Add(SubscriptionElement(jid, "none", Namespaces.PubSub, withNode: true));
        return Reply(Stanza.Result(iq, result));
    }

    private async Task<NodeReply> OptionsAsync(Element iq, Element options, NodeRequester requester, bool get)
    {
        var jid = SubscriberJid(options, requester, forbiddenOnMismatch: true);
        RequireNode();
        if (!State.Subscriptions.TryGetValue(jid, out var subscription))
        {
            throw PubSubErrors.NotSubscribed();
        }

        if (get)
        {
            var result = new Element("pubsub", Namespaces.PubSub);
            result.AddChild("options", Namespaces.PubSub).SetAttribute("node", _node).SetAttribute("jid", jid)
                .Add(NodeDefaults.SubscriptionOptions(subscription.Deliver).ToElement());
            return Reply(Stanza.Result(iq, result));
        }

        var submitted = DataForm.Find(options) ?? throw PubSubErrors.InvalidOptions("The options need a form");
        subscription.Deliver = Deliver(submitted) ?? subscription.Deliver;
        await SaveAsync();
        return Reply(Stanza.Result(iq));
    }

    private static bool? Deliver(DataForm form) =>
        form["pubsub#deliver"] is { } field
            ? field.BooleanValue ?? throw PubSubErrors.InvalidOptions("pubsub#deliver must be a boolean")
            : null;

    /// <summary>§5.6 for this node: the requester's subscriptions.</summary>
    private Element OwnSubscriptions(Element iq, NodeRequester requester)
    {
        RequireNode();
        var result = new Element("pubsub", Namespaces.PubSub);
        var list = result.AddChild("subscriptions", Namespaces.PubSub);
        foreach (var jid in SubscriptionsOf(requester.Bare))
        {
            list.Add(SubscriptionElement(jid, "subscribed", Namespaces.PubSub, withNode: true));
        }

        return Stanza.Result(iq, result);
    }

    /// <summary>§5.7 for this node: the requester's affiliation.</summary>
    private Element OwnAffiliation(Element iq, NodeRequester requester)
    {
        RequireNode();
        var result = new Element("pubsub", Namespaces.PubSub);
        var list = result.AddChild("affiliations", Namespaces.PubSub);
        var affiliation = AffiliationOf(requester);
        if (affiliation != NodeAffiliation.None)
        {
            list.AddChild("affiliation", Namespaces.PubSub).SetAttribute("node", _node).SetAttribute("affiliation", affiliation);
        }

        return Stanza.Result(iq, result);
    }

    private async Task<NodeReply> ManageSubscriptionsAsync(Element iq, Element request, NodeRequester requester, bool get)
    {
        RequireOwner(requester);
        if (get)
        {
            var result = new Element("pubsub", Namespaces.PubSubOwner);
            var list = result.AddChild("subscriptions", Namespaces.PubSubOwner).SetAttribute("node", _node);
            foreach (var jid in State.Subscriptions.Keys)
            {
                list.Add(SubscriptionElement(jid, "subscribed", Namespaces.PubSubOwner, withNode: false));
            }

            return Reply(Stanza.Result(iq, result));
        }

        var changes = request.Elements("subscription", Namespaces.PubSubOwner).ToList();
        if (changes.Exists(c => !Jid.TryParse(c.GetAttribute("jid"), out _) || c.GetAttribute("subscription") is not ("subscribed" or "none")))
        {
            throw new StanzaErrorException(StanzaError.BadRequest("Each subscription needs a JID and either subscribed or none"));
        }

        foreach (var change in changes)
        {
            var jid = Jid.Parse(change.GetAttribute("jid")!).ToString();
            if (change.GetAttribute("subscription") == "none")
            {
                State.Subscriptions.Remove(jid);
            }
            else if (!State.Subscriptions.ContainsKey(jid))
            {
                State.Subscriptions[jid] = new NodeSubscription();
            }
        }

        await SaveAsync();
        return Reply(Stanza.Result(iq));
    }

    private async Task<NodeReply> ManageAffiliationsAsync(Element iq, Element request, NodeRequester requester, bool get)
    {
        RequireOwner(requester);
        if (get)
        {
            var result = new Element("pubsub", Namespaces.PubSubOwner);
            var list = result.AddChild("affiliations", Namespaces.PubSubOwner).SetAttribute("node", _node);
            foreach (var (jid, affiliation) in State.Affiliations)
            {
                list.AddChild("affiliation", Namespaces.PubSubOwner).SetAttribute("jid", jid).SetAttribute("affiliation", affiliation);
            }

            return Reply(Stanza.Result(iq, result));
        }

        var changes = new List<(string Jid, string Affiliation)>();
        foreach (var change in request.Elements("affiliation", Namespaces.PubSubOwner))
        {
            if (!Jid.TryParse(change.GetAttribute("jid"), out var jid) || change.GetAttribute("affiliation") is not { } affiliation
                || !NodeAffiliation.All.Contains(affiliation, StringComparer.Ordinal))
            {
                throw new StanzaErrorException(StanzaError.BadRequest("Each affiliation needs a JID and a known affiliation"));
            }

            changes.Add((jid.Bare.ToString(), affiliation));
        }

        var after = new Dictionary<string, string>(State.Affiliations, StringComparer.Ordinal);
        foreach (var (jid, affiliation) in changes)
        {
            if (affiliation == NodeAffiliation.None)
            {
                after.Remove(jid);
            }
            else
            {
                after[jid] = affiliation;
            }
        }

        // §8.9.2.4: a node keeps an owner; a PEP node's owner is its account, always.
        if (!after.ContainsValue(NodeAffiliation.Owner) || (_isPep && after.GetValueOrDefault(_service) != NodeAffiliation.Owner))
        {
            throw new StanzaErrorException(StanzaError.NotAcceptable("The node must keep its owner"));
        }

        State.Affiliations.Clear();
        foreach (var (jid, affiliation) in after)
        {
            State.Affiliations[jid] = affiliation;
        }

        foreach (var (jid, _) in changes.Where(c => c.Affiliation == NodeAffiliation.Outcast))
        {
            foreach (var subscribed in SubscriptionsOf(jid).ToList())
            {
                State.Subscriptions.Remove(subscribed); // §4.1: outcasts may not be subscribed
            }
        }

        await SaveAsync();
        return Reply(Stanza.Result(iq));
    }

    private Element SubscriptionElement(string jid, string state, string ns, bool withNode)
    {
        var element = new Element("subscription", ns);
        if (withNode)
        {
            element.SetAttribute("node", _node);
        }

        return element.SetAttribute("jid", jid).SetAttribute("subscription", state);
    }
}
