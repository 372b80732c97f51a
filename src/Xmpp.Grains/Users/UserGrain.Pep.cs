using Xmpp.Grains.PubSub;

namespace Xmpp.Grains.Users;

// The account's PEP service (XEP-0163), as Prosody's mod_pep: the nodes are grains of their own
// (PubSubNodeGrain, keyed by this account and the node), and this grain says who is asking
// (owner, contact with a presence subscription, roster groups), keeps the list of nodes for
// disco#items, and sends each event to the resources that want it: the account's own and its
// subscribed contacts', filtered by the notify features of their entity capabilities (XEP-0115).
public sealed partial class UserGrain
{
    /// <summary>Whether a request to the account is for its PEP service: pubsub, or disco of a node.</summary>
    private static bool IsPepRequest(Element payload) =>
        payload.Namespace is Namespaces.PubSub or Namespaces.PubSubOwner
        || (payload.Namespace is Namespaces.DiscoInfo or Namespaces.DiscoItems && !string.IsNullOrEmpty(payload.GetAttribute("node")));

    /// <summary>A PEP request of the owner or of anyone else; answers it and sends what it caused.</summary>
    private async Task<Element> HandlePepRequestAsync(Element iq, Jid from)
    {
        var payload = iq.FirstElement()!;
        var requester = RequesterFor(from);
        if (payload.Namespace == Namespaces.PubSubOwner && payload.Child("default", Namespaces.PubSubOwner) is not null)
        {
            return NodeDefaults.DefaultReply(iq, pep: true, _options.PubSub.MaxItems);
        }

        if (requester.OwnsService && InstantNode.IsRequested(iq))
        {
            return (await InstantNode.CreateAsync(iq, (name, named) => ExecuteOnPepNodeAsync(name, named, requester))).Reply;
        }

        var node = PubSubService.NodeOf(iq);
        if (string.IsNullOrEmpty(node))
        {
            return payload.Namespace == Namespaces.PubSub && payload.FirstElement()?.Name is "subscriptions" or "affiliations" && iq.Type == "get"
                ? await ListPepRelationsAsync(iq, from, payload.FirstElement()!.Name)
                : throw PubSubErrors.NodeIdRequired();
        }

        if (requester.OwnsService && await HandleLegacyBookmarksNodeAsync(iq, node) is { } legacy)
        {
            return legacy;
        }

        var reply = await ExecuteOnPepNodeAsync(node, iq, requester);
        if (reply.AfterReply is { Count: > 0 } after)
        {
            // After the reply, which the caller sends: route them behind it.
            _pepAfterReply = after;
        }

        return reply.Reply;
    }

    /// <summary>A request to one of the account's nodes, with what it causes here: the list of nodes kept, events sent.</summary>
    private async Task<NodeReply> ExecuteOnPepNodeAsync(string node, Element iq, NodeRequester requester)
    {
        var reply = await PepNode(node).ExecuteAsync(iq, requester);
        await UpdatePepIndexAsync(node, reply);
        if (reply.Event is not null && reply.Audience is not null)
        {
            SendPepEvent(node, reply.Event, reply.Audience);
        }

        if (node == Namespaces.Bookmarks2 && reply.Reply.Type == "result" && iq.Type == "set")
        {
            await SendCompatBookmarksAsync(to: null); // XEP-0411: clients of the old node hear of the change
        }

        return reply;
    }

    // What follows the reply of the PEP request being handled (the last item for a new subscriber).
    private IReadOnlyList<Element>? _pepAfterReply;

    /// <summary>Routes what must follow a PEP reply, once the reply is on its way.</summary>
    private void SendPepAfterReply()
    {
        if (_pepAfterReply is { } after)
        {
            _pepAfterReply = null;
            foreach (var stanza in after)
            {
                _outbox.Route(stanza);
            }
        }
    }

    private IPubSubNodeGrain PepNode(string node) => GrainFactory.GetGrain<IPubSubNodeGrain>(NodeKey.Of(_bareText, node));

    /// <summary>Who is asking, as the access models need to know (XEP-0060 §4.5).</summary>
    private NodeRequester RequesterFor(Jid from)
    {
        var bare = from.Bare.ToString();
        if (bare == _bareText)
        {
            return new NodeRequester(from.ToString(), OwnsService: true);
        }

        var item = ItemOf(bare);
        return new NodeRequester(from.ToString(), OwnsService: false, IsContactSubscribed(bare), item?.Groups.ToList() ?? []);
    }

    /// <summary>Keeps the account's list of nodes (and their access models, for disco#items) as the nodes say.</summary>
    private async Task UpdatePepIndexAsync(string node, NodeReply reply)
    {
        var nodes = _profile.State.PepNodes;
        var known = nodes?.GetValueOrDefault(node);
        var now = reply.Exists ? reply.Audience?.AccessModel : null;
        if (known == now)
        {
            return;
        }

        nodes ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (now is null)
        {
            nodes.Remove(node);
        }
        else
        {
            nodes[node] = now;
        }

        _profile.State.PepNodes = nodes.Count == 0 ? null : nodes;
        await _profile.SaveAsync();
    }

    /// <summary>XEP-0163 §4.3: the event to each resource that wants the node's notifications and may see it.</summary>
    private void SendPepEvent(string node, Element @event, NodeAudience audience)
    {
        foreach (var (jid, recipient) in _pepRecipients)
        {
            if (recipient.Notify?.Contains(node) != true || !Jid.TryParse(jid, out var full))
            {
                continue;
            }

            var bare = full.Bare.ToString();
            if (bare != _bareText && !InAudience(bare, audience))
            {
                continue;
            }

            SendPepMessage(full, @event.Clone());
        }
    }

    private bool InAudience(string contact, NodeAudience audience) => audience.AccessModel switch
    {
        AccessModel.Open => true,
        AccessModel.Presence => IsContactSubscribed(contact),
        AccessModel.Roster => ItemOf(contact) is { } item && item.Groups.Intersect(audience.RosterGroups, StringComparer.Ordinal).Any(),
        _ => audience.Members.Contains(contact, StringComparer.Ordinal),
    };

    private void SendPepMessage(Jid to, Element @event)
    {
        var message = new Element(Stanza.Message) { From = _bareText, To = to.ToString(), Type = "headline", Id = NewId() };
        message.Add(@event);
        SendToResource(to, message);
    }

    /// <summary>§5.6, §5.7 over the account's nodes: the requester's subscriptions or affiliations.</summary>
    private async Task<Element> ListPepRelationsAsync(Element iq, Jid from, string what)
    {
        var nodes = _profile.State.PepNodes?.Keys.ToList() ?? [];
        var relations = await Task.WhenAll(nodes.Select(n => PepNode(n).GetRelationsAsync(from.Bare.ToString())));
        return NodeRelations.ListReply(iq, what, relations);
    }

    /// <summary>
    /// The account's nodes the requester may see, for the account's disco#items (XEP-0060 §5.2).
    /// Roster access lists a node to every contact in the roster; the node itself checks the groups.
    /// </summary>
    private IEnumerable<string> VisiblePepNodes(Jid requester)
    {
        var bare = requester.Bare.ToString();
        foreach (var (node, accessModel) in _profile.State.PepNodes ?? [])
        {
            var visible = bare == _bareText || accessModel switch
            {
                AccessModel.Open => true,
                AccessModel.Presence => IsContactSubscribed(bare),
                AccessModel.Roster => ItemOf(bare) is not null,
                _ => false,
            };
            if (visible)
            {
                yield return node;
            }
        }
    }
}
