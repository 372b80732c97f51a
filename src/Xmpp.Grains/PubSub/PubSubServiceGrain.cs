using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Grains.PubSub.State;
using Xmpp.Grains.Routing;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.PubSub;

/// <summary>
/// The pubsub service's own JID (XEP-0060): discovery, instant nodes, the default configuration
/// and what spans nodes. Requests about one node go to that node's grain directly
/// (<see cref="PubSubService"/>); this grain only keeps the list of nodes.
/// </summary>
[GrainType("pubsub-service")]
public sealed class PubSubServiceGrain : Grain, IPubSubServiceGrain
{
    private readonly IPersistentState<PubSubServiceState> _state;
    private readonly IStanzaRouter _router;
    private readonly XmppOptions _options;
    private readonly ILogger<PubSubServiceGrain> _logger;

    public PubSubServiceGrain(
        [PersistentState("pubsub")] IPersistentState<PubSubServiceState> state,
        IStanzaRouter router,
        IOptions<XmppOptions> options,
        ILogger<PubSubServiceGrain> logger)
    {
        _state = state;
        _router = router;
        _options = options.Value;
        _logger = logger;
    }

    private string Domain => this.GetPrimaryKeyString();

    public Task HandleAsync(IReadOnlyList<Element> stanzas) => StanzaBatch.HandleEachAsync(stanzas, new Handler(this));

    private async Task DispatchAsync(Element stanza)
    {
        if (Stanza.IsIqRequest(stanza) && Jid.TryParse(stanza.From, out var from))
        {
            _router.Route(await HandleRequestAsync(stanza, from));
        }
        else if (stanza.Name == Stanza.Message)
        {
            throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }
    }

    public Task NodeCreatedAsync(string node) => ChangeNodesAsync(nodes => nodes.Add(node));

    public Task NodeDeletedAsync(string node) => ChangeNodesAsync(nodes => nodes.Remove(node));

    private async Task ChangeNodesAsync(Func<SortedSet<string>, bool> change)
    {
        if (!change(_state.State.Nodes))
        {
            return;
        }

        try
        {
            await _state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // The nodes themselves are stored; the list is read back and misses only this change.
            _logger.LogError(e, "Could not store the node list of {Service}", Domain);
            await _state.ReadStateAsync();
        }
    }

    private async Task<Element> HandleRequestAsync(Element iq, Jid requester)
    {
        if (iq.Elements().Count() != 1)
        {
            throw new StanzaErrorException(StanzaError.BadRequest("An IQ request needs exactly one child element"));
        }

        var payload = iq.FirstElement()!;
        var get = iq.Type == "get";
        switch (payload.Namespace, payload.Name)
        {
            case (Namespaces.DiscoInfo, "query") when get:
                return DiscoInfo(iq);
            case (Namespaces.DiscoItems, "query") when get:
                return DiscoItems(iq);
            case (Namespaces.PubSubOwner, "pubsub") when get && payload.Child("default", Namespaces.PubSubOwner) is not null:
                return NodeDefaults.DefaultReply(iq, pep: false, _options.PubSub.MaxItems);
            case (Namespaces.PubSub, "pubsub"):
                return await HandlePubSubAsync(iq, payload, requester, get);
            case (Namespaces.PubSubOwner, "pubsub"):
                throw PubSubErrors.NodeIdRequired();
            default:
                throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }
    }

    private async Task<Element> HandlePubSubAsync(Element iq, Element pubsub, Jid requester, bool get)
    {
        var action = pubsub.FirstElement() ?? throw new StanzaErrorException(StanzaError.BadRequest());
        switch (action.Name, get)
        {
            case ("create", false):
                return await CreateInstantNodeAsync(iq, requester);
            case ("subscriptions", true):
                return await ListAsync(iq, requester, "subscriptions");
            case ("affiliations", true):
                return await ListAsync(iq, requester, "affiliations");
            case ("default", true):
                return DefaultSubscriptionOptions(iq);
            default:
                throw PubSubErrors.NodeIdRequired();
        }
    }

    private async Task<Element> CreateInstantNodeAsync(Element iq, Jid requester)
    {
        var owner = new NodeRequester(requester.ToString(), _options.Admins.Contains(requester.Bare.ToString(), StringComparer.Ordinal));
        var reply = await InstantNode.CreateAsync(iq, (name, named) => GrainFactory.GetGrain<IPubSubNodeGrain>(NodeKey.Of(Domain, name)).ExecuteAsync(named, owner));
        return reply.Reply;
    }

    /// <summary>§5.6 and §5.7: the requester's subscriptions or affiliations on every node.</summary>
    private async Task<Element> ListAsync(Element iq, Jid requester, string what)
    {
        var bare = requester.Bare.ToString();
        var relations = await Task.WhenAll(_state.State.Nodes.Select(node =>
            GrainFactory.GetGrain<IPubSubNodeGrain>(NodeKey.Of(Domain, node)).GetRelationsAsync(bare)));
        return NodeRelations.ListReply(iq, what, relations);
    }

    /// <summary>§6.4: the default subscription options.</summary>
    private static Element DefaultSubscriptionOptions(Element iq)
    {
        var result = new Element("pubsub", Namespaces.PubSub);
        result.AddChild("default", Namespaces.PubSub).Add(NodeDefaults.SubscriptionOptions(deliver: true).ToElement());
        return Stanza.Result(iq, result);
    }

    private Element DiscoInfo(Element iq)
    {
        if (!string.IsNullOrEmpty(iq.FirstElement()!.GetAttribute("node")))
        {
            throw PubSubErrors.NodeNotFound(); // node queries go to the node's grain
        }

        var query = new Element("query", Namespaces.DiscoInfo);
        query.AddChild("identity", Namespaces.DiscoInfo)
            .SetAttribute("category", "pubsub")
            .SetAttribute("type", "service")
            .SetAttribute("name", _options.PubSub.Name ?? _options.SoftwareName + " PubSub Service");
        foreach (var feature in PubSubFeatures.Service)
        {
            query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", feature);
        }

        return Stanza.Result(iq, query);
    }

    private Element DiscoItems(Element iq)
    {
        var query = new Element("query", Namespaces.DiscoItems);
        foreach (var node in _state.State.Nodes)
        {
            query.AddChild("item", Namespaces.DiscoItems).SetAttribute("jid", Domain).SetAttribute("node", node);
        }

        return Stanza.Result(iq, query);
    }

    private readonly struct Handler(PubSubServiceGrain grain) : IStanzaHandler
    {
        public ILogger Logger => grain._logger;

        public Task HandleAsync(Element stanza) => grain.DispatchAsync(stanza);

        public void Reply(Element stanza, StanzaError error) => grain._router.Bounce(stanza, error);

        public void StaleState() => grain.DeactivateOnIdle();
    }
}
