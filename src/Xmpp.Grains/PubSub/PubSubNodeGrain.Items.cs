using System.Globalization;
using Xmpp.Grains.PubSub.State;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.PubSub;

// Retrieving items (XEP-0060 §6.5) and discovering the node (§5.3–§5.5), in Prosody's shapes.
public sealed partial class PubSubNodeGrain
{
    private Element Items(Element iq, Element request, Element pubsub, NodeRequester requester)
    {
        RequireNode();
        CheckAccess(requester);
        if (!Config.PersistItems)
        {
            throw PubSubErrors.Unsupported("persistent-items"); // nothing is kept to retrieve
        }

        // Newest first, to take the most recent (§6.5.7); answered oldest first, as Prosody does.
        IEnumerable<StoredItem> newestFirst = Enumerable.Reverse(StoredItems);
        var wanted = request.Elements("item", Namespaces.PubSub).Select(i => i.GetAttribute("id")).OfType<string>().ToList();
        if (wanted.Count > 0)
        {
            newestFirst = wanted.Select(id => StoredItems.Find(i => i.Id == id)).OfType<StoredItem>();
        }
        else if (int.TryParse(request.GetAttribute("max_items"), NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            newestFirst = newestFirst.Take(max);
        }

        var items = wanted.Count > 0 ? newestFirst.ToList() : newestFirst.Reverse().ToList();
        var result = new Element("pubsub", Namespaces.PubSub);
        var list = result.AddChild("items", Namespaces.PubSub).SetAttribute("node", _node);
        var page = pubsub.Child("set", Namespaces.Rsm) is { } set ? ResultSetPage.Of(items, set, i => i.Id) : null;
        foreach (var item in page?.Items ?? items)
        {
            var element = list.AddChild("item", Namespaces.PubSub).SetAttribute("id", item.Id);
            if (!_isPep && _pubsub.ExposePublisher)
            {
                element.SetAttribute("publisher", item.Publisher);
            }

            if (item.Payload is not null)
            {
                element.Add(XmlText.Parse(item.Payload));
            }
        }

        if (page is not null)
        {
            result.Add(page.ToElement());
        }

        return Stanza.Result(iq, result);
    }

    private Element DiscoInfo(Element iq, NodeRequester requester)
    {
        RequireNode();
        if (_isPep && !MaySee(requester))
        {
            throw PubSubErrors.NodeNotFound();
        }

        var query = new Element("query", Namespaces.DiscoInfo).SetAttribute("node", _node);
        query.AddChild("identity", Namespaces.DiscoInfo).SetAttribute("category", "pubsub").SetAttribute("type", "leaf");
        query.Add(MetaData().ToElement());
        return Stanza.Result(iq, query);
    }

    /// <summary>The node's meta-data (§5.4, <c>pubsub#meta-data</c>), with the fields Prosody gives.</summary>
    private DataForm MetaData()
    {
        var form = new DataForm(DataForm.Result).WithFormType(Namespaces.PubSubMetaData);
        form.Add(new DataFormField("pubsub#title")).WithValue(Config.Title);
        form.Add(new DataFormField("pubsub#description")).WithValue(Config.Description);
        form.Add(new DataFormField("pubsub#type")).WithValue(Config.PayloadType);
        form.Add(new DataFormField("pubsub#access_model")).WithValue(Config.AccessModel);
        form.Add(new DataFormField("pubsub#publish_model")).WithValue(Config.PublishModel);
        return form;
    }

    /// <summary>§5.5: the items of the node, newest first, named by their ids.</summary>
    private Element DiscoItems(Element iq, NodeRequester requester)
    {
        RequireNode();
        if (!MaySee(requester))
        {
            throw _isPep ? PubSubErrors.NodeNotFound() : PubSubErrors.Forbidden();
        }

        var query = new Element("query", Namespaces.DiscoItems).SetAttribute("node", _node);
        for (var i = StoredItems.Count - 1; i >= 0; i--)
        {
            query.AddChild("item", Namespaces.DiscoItems).SetAttribute("jid", _service).SetAttribute("name", StoredItems[i].Id);
        }

        return Stanza.Result(iq, query);
    }
}
