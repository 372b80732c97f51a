using Xmpp.Grains.PubSub.State;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.PubSub;

// Creating and deleting nodes, publishing, retracting and purging items (XEP-0060 §7, §8.1, §8.4, §8.5).
public sealed partial class PubSubNodeGrain
{
    private async Task<NodeReply> CreateAsync(Element iq, Element pubsub, NodeRequester requester)
    {
        if (Exists)
        {
            throw new StanzaErrorException(StanzaError.Conflict("Node already exists"));
        }

        if (!MayCreate(requester))
        {
            throw PubSubErrors.Forbidden("You may not create nodes here");
        }

        var config = NodeDefaults.For(_isPep);
        if (pubsub.Child("configure", Namespaces.PubSub) is { } configure)
        {
            var form = DataForm.Find(configure) ?? throw new StanzaErrorException(StanzaError.BadRequest("Missing dataform"));
            config = NodeConfigForm.Apply(config, form, _pubsub.MaxItems, _isPep);
        }

        await CreateNodeAsync(config, requester);
        return Reply(Stanza.Result(iq));
    }

    /// <summary>
    /// On the pubsub service as configured (Prosody: service administrators only); on a PEP
    /// service only its account.
    /// </summary>
    private bool MayCreate(NodeRequester requester) =>
        requester.OwnsService || (!_isPep && _pubsub.NodeCreation switch
        {
            "anyone" => true,
            "local" => Jid.TryParse(requester.Jid, out var jid) && jid.Local is not null && jid.Domain == _options.Domain,
            _ => false,
        });

    private async Task CreateNodeAsync(NodeConfig config, NodeRequester requester)
    {
        State.Exists = true;
        State.Config = config;
        State.Affiliations.Clear();
        State.Subscriptions.Clear();
        State.Affiliations[_isPep ? _service : requester.Bare] = NodeAffiliation.Owner;
        await SaveAsync();
        if (StoredItems.Count > 0)
        {
            StoredItems.Clear(); // what a node of the same name kept before it was deleted
            await SaveItemsAsync();
        }
        if (!_isPep)
        {
            await GrainFactory.GetGrain<IPubSubServiceGrain>(_service).NodeCreatedAsync(_node);
        }
    }

    private async Task<NodeReply> PublishAsync(Element iq, Element publish, Element pubsub, NodeRequester requester)
    {
        DataForm? options = null;
        if (pubsub.Child("publish-options", Namespaces.PubSub) is { } element)
        {
            options = DataForm.Find(element) ?? throw PubSubErrors.InvalidOptions("publish-options need a form");
        }

        if (!Exists)
        {
            // XEP-0163 §3: the account's first publish creates the node, configured as the publish-options say.
            if (!_isPep || !requester.OwnsService)
            {
                throw PubSubErrors.NodeNotFound();
            }

            var config = NodeDefaults.For(_isPep);
            if (options is not null)
            {
                config = NodeConfigForm.Apply(config, options, _pubsub.MaxItems, _isPep);
            }

            await CreateNodeAsync(config, requester);
        }
        else if (options is not null && NodeConfigForm.UnmetPrecondition(Config, options, _pubsub.MaxItems) is { } field)
        {
            throw PubSubErrors.PreconditionNotMet("Field does not match: " + field);
        }

        if (!MayPublish(requester))
        {
            throw PubSubErrors.Forbidden("You may not publish to this node");
        }

        var item = TakeItem(publish, requester);
        if (Config.PersistItems)
        {
            KeepItem(item);
            await SaveItemsAsync();
        }

        var result = new Element("pubsub", Namespaces.PubSub);
        result.AddChild("publish", Namespaces.PubSub).SetAttribute("node", _node)
            .AddChild("item", Namespaces.PubSub).SetAttribute("id", item.Id);
        var @event = Config.DeliverNotifications ? ItemsEvent(item) : null;
        if (@event is not null)
        {
            NotifySubscribers(@event);
        }

        return new NodeReply(Stanza.Result(iq, result), @event, Audience());
    }

    /// <summary>The publish model (§16.4.4 pubsub#publish_model) with outcasts always refused.</summary>
    private bool MayPublish(NodeRequester requester)
    {
        var affiliation = AffiliationOf(requester);
        if (affiliation == NodeAffiliation.Outcast)
        {
            return false;
        }

        return NodeAffiliation.MayPublish(affiliation) || Config.PublishModel switch
        {
            "open" => true,
            "subscribers" => SubscriptionsOf(requester.Bare).Any(),
            _ => false,
        };
    }

    /// <summary>The item of a publish request (§7.1.1) with the checks of §7.1.3.</summary>
    private StoredItem TakeItem(Element publish, NodeRequester requester)
    {
        var items = publish.Elements("item", Namespaces.PubSub).ToList();
        if (items.Count > 1)
        {
            throw PubSubErrors.InvalidPayload("One item per publish");
        }

        var item = items.Count == 1 ? items[0] : null;
        var payloads = item?.Elements().ToList() ?? [];
        if (payloads.Count > 1)
        {
            throw PubSubErrors.InvalidPayload("An item carries one payload element");
        }

        var needsPayload = Config.PersistItems || Config.DeliverPayloads;
        if (item is null && needsPayload)
        {
            throw PubSubErrors.ItemRequired("The node keeps items: publish one");
        }

        if (payloads.Count == 0 && needsPayload)
        {
            throw PubSubErrors.PayloadRequired();
        }

        if (payloads.Count > 0 && !needsPayload)
        {
            throw PubSubErrors.ItemForbidden();
        }

        var id = item?.GetAttribute("id");
        return new StoredItem
        {
            Id = string.IsNullOrEmpty(id) ? NewId() : id,
            Payload = payloads.Count == 0 ? null : XmlText.Serialize(payloads[0]),
            Publisher = requester.Bare,
        };
    }

    /// <summary>§7.1.2: an item with a known id replaces it and becomes the newest; the oldest go beyond max_items.</summary>
    private void KeepItem(StoredItem item)
    {
        StoredItems.RemoveAll(i => i.Id == item.Id);
        StoredItems.Add(item);
        TrimItems();
    }

    private void TrimItems()
    {
        var max = Config.MaxItems ?? _pubsub.MaxItems;
        if (StoredItems.Count > max)
        {
            StoredItems.RemoveRange(0, StoredItems.Count - max);
        }
    }

    private async Task<NodeReply> RetractAsync(Element iq, Element retract, NodeRequester requester)
    {
        RequireNode();
        var id = retract.Child("item", Namespaces.PubSub)?.GetAttribute("id");
        if (string.IsNullOrEmpty(id))
        {
            throw PubSubErrors.ItemRequired("Name the item to retract");
        }

        var affiliation = AffiliationOf(requester);
        if (!NodeAffiliation.MayPublish(affiliation))
        {
            throw PubSubErrors.Forbidden("You may not retract items from this node");
        }

        var index = StoredItems.FindIndex(i => i.Id == id);
        if (index < 0 && Config.PersistItems)
        {
            throw new StanzaErrorException(StanzaError.ItemNotFound("No such item"));
        }

        if (index >= 0)
        {
            if (affiliation == NodeAffiliation.PublishOnly && StoredItems[index].Publisher != requester.Bare)
            {
                throw PubSubErrors.Forbidden("Publish-only affiliates may retract only their own items");
            }

            StoredItems.RemoveAt(index);
            await SaveItemsAsync();
        }

        // §7.2.2.1: notify when the retract asks for it, unless the node is configured not to.
        Element? @event = null;
        if (retract.GetAttribute("notify") is "true" or "1" && Config.NotifyRetract)
        {
            @event = new Element("event", Namespaces.PubSubEvent);
            @event.AddChild("items", Namespaces.PubSubEvent).SetAttribute("node", _node)
                .AddChild("retract", Namespaces.PubSubEvent).SetAttribute("id", id);
            NotifySubscribers(@event);
        }

        return new NodeReply(Stanza.Result(iq), @event, Audience());
    }

    private async Task<NodeReply> PurgeAsync(Element iq, NodeRequester requester)
    {
        RequireOwner(requester);
        if (!Config.PersistItems)
        {
            throw PubSubErrors.Unsupported("persistent-items");
        }

        StoredItems.Clear();
        await SaveItemsAsync();
        var @event = new Element("event", Namespaces.PubSubEvent);
        @event.AddChild("purge", Namespaces.PubSubEvent).SetAttribute("node", _node);
        NotifySubscribers(@event); // §8.5.2
        return new NodeReply(Stanza.Result(iq), @event, Audience());
    }

    private async Task<NodeReply> DeleteAsync(Element iq, Element delete, NodeRequester requester)
    {
        RequireOwner(requester);
        Element? @event = null;
        if (Config.NotifyDelete)
        {
            @event = new Element("event", Namespaces.PubSubEvent);
            var deleted = @event.AddChild("delete", Namespaces.PubSubEvent).SetAttribute("node", _node);
            if (delete.Child("redirect", Namespaces.PubSubOwner)?.GetAttribute("uri") is { Length: > 0 } uri)
            {
                deleted.AddChild("redirect", Namespaces.PubSubEvent).SetAttribute("uri", uri);
            }

            NotifySubscribers(@event); // §8.4.2, before the subscriptions go
        }

        var audience = Audience();
        await _state.ClearAsync();
        await _items.ClearAsync();
        if (!_isPep)
        {
            await GrainFactory.GetGrain<IPubSubServiceGrain>(_service).NodeDeletedAsync(_node);
        }

        return new NodeReply(Stanza.Result(iq), @event, audience, Exists: false);
    }

    /// <summary>The event announcing an item (§7.1.2.1), with its payload unless the node withholds payloads.</summary>
    private Element ItemsEvent(StoredItem item)
    {
        var @event = new Element("event", Namespaces.PubSubEvent);
        var element = @event.AddChild("items", Namespaces.PubSubEvent).SetAttribute("node", _node)
            .AddChild("item", Namespaces.PubSubEvent).SetAttribute("id", item.Id);
        if (!_isPep && _pubsub.ExposePublisher)
        {
            element.SetAttribute("publisher", item.Publisher);
        }

        if (Config.DeliverPayloads && item.Payload is not null)
        {
            element.Add(XmlText.Parse(item.Payload));
        }

        return @event;
    }
}
