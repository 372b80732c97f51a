using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Grains.PubSub.State;
using Xmpp.Grains.Routing;

namespace Xmpp.Grains.PubSub;

/// <summary>
/// One node (XEP-0060), keyed by <see cref="NodeKey"/>: its configuration, affiliations,
/// subscriptions and items, persisted through the configured store. The same grain serves the
/// pubsub service's nodes and the nodes of an account's PEP service (XEP-0163); for those the
/// account's grain decides who is who (presence subscription, roster groups) and sends the
/// notifications to the contacts it knows to be interested, while the node sends to its explicit
/// subscribers. Where the XEP leaves a choice, Prosody 0.12's util/pubsub is followed.
/// Split into partial files by use case.
/// </summary>
[GrainType("pubsub-node")]
public sealed partial class PubSubNodeGrain : Grain, IPubSubNodeGrain
{
    private readonly IPersistentState<NodeState> _state;
    private readonly IPersistentState<NodeItemsState> _items;
    private readonly XmppOptions _options;
    private readonly PubSubOptions _pubsub;
    private readonly ILogger<PubSubNodeGrain> _logger;
    private readonly IStanzaRouter _router;
    private readonly Outbox _outbox;

    private string _service = null!;
    private string _node = null!;
    private bool _isPep;

    public PubSubNodeGrain(
        [PersistentState("node")] IPersistentState<NodeState> state,
        [PersistentState("items")] IPersistentState<NodeItemsState> items,
        IStanzaRouter router,
        SessionPushSender pushes,
        IOptions<XmppOptions> options,
        ILogger<PubSubNodeGrain> logger)
    {
        _state = state;
        _items = items;
        _router = router;
        _outbox = new Outbox(pushes, router);
        _options = options.Value;
        _pubsub = _options.PubSub;
        _logger = logger;
    }

    private NodeState State => _state.State;

    private NodeConfig Config => State.Config;

    private List<StoredItem> StoredItems => _items.State.Items;

    private bool Exists => State.Exists;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_service, _node) = NodeKey.Parse(this.GetPrimaryKeyString());
        _isPep = _service.Contains('@', StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    public async Task HandleAsync(IReadOnlyList<Element> stanzas)
    {
        try
        {
            foreach (var stanza in stanzas)
            {
                await StanzaBatch.HandleAsync(stanza, new Handler(this));
            }
        }
        finally
        {
            _outbox.Flush();
        }
    }

    public async Task<NodeReply> ExecuteAsync(Element iq, NodeRequester requester)
    {
        try
        {
            // Every reply says whether the node exists and, while it does, who may see it: the
            // account's grain keeps its list of nodes by that.
            var reply = await ExecuteCoreAsync(iq, requester);
            return reply with { Exists = Exists, Audience = reply.Audience ?? (Exists ? Audience() : null) };
        }
        catch (StanzaErrorException e)
        {
            return new NodeReply(Stanza.ErrorReply(iq, e.Error), Audience: Exists ? Audience() : null, Exists: Exists);
        }
        finally
        {
            _outbox.Flush();
        }
    }

    public Task<NodeRelations?> GetRelationsAsync(string jid)
    {
        if (!Exists || !Jid.TryParse(jid, out var parsed))
        {
            return Task.FromResult<NodeRelations?>(null);
        }

        var bare = parsed.Bare.ToString();
        var affiliation = State.Affiliations.GetValueOrDefault(bare, NodeAffiliation.None);
        var subscriptions = SubscriptionsOf(bare).ToList();
        return Task.FromResult(affiliation == NodeAffiliation.None && subscriptions.Count == 0
            ? null
            : new NodeRelations(_node, affiliation, subscriptions));
    }

    public Task<Element?> GetLastItemEventAsync(NodeRequester requester)
    {
        if (!Exists || Config.SendLastPublishedItem != "on_sub_and_presence" || StoredItems.LastOrDefault() is not { } last || !MaySee(requester))
        {
            return Task.FromResult<Element?>(null);
        }

        return Task.FromResult<Element?>(ItemsEvent(last));
    }

    private async Task DispatchAsync(Element stanza)
    {
        if (stanza.Name != Stanza.Iq)
        {
            // Subscription approvals (§8.6) are not offered; a message needs an answer, a presence none.
            if (stanza.Name == Stanza.Message)
            {
                throw new StanzaErrorException(StanzaError.FeatureNotImplemented());
            }

            return;
        }

        if (!Stanza.IsIqRequest(stanza) || !Jid.TryParse(stanza.From, out var from))
        {
            return; // an answer to a notification: nothing to do
        }

        var requester = new NodeRequester(from.ToString(), _options.Admins.Contains(from.Bare.ToString(), StringComparer.Ordinal));
        var reply = await ExecuteCoreAsync(stanza, requester);
        _outbox.Route(reply.Reply);
        foreach (var after in reply.AfterReply ?? [])
        {
            _outbox.Route(after);
        }
    }

    private async Task<NodeReply> ExecuteCoreAsync(Element iq, NodeRequester requester)
    {
        var payload = iq.FirstElement() ?? throw new StanzaErrorException(StanzaError.BadRequest());
        var get = iq.Type == "get";
        switch (payload.Namespace)
        {
            case Namespaces.PubSub:
                return await HandlePubSubAsync(iq, payload, requester, get);
            case Namespaces.PubSubOwner:
                return await HandleOwnerAsync(iq, payload, requester, get);
            case Namespaces.DiscoInfo when get && payload.Name == "query":
                return Reply(DiscoInfo(iq, requester));
            case Namespaces.DiscoItems when get && payload.Name == "query":
                return Reply(DiscoItems(iq, requester));
            default:
                throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }
    }

    private Task<NodeReply> HandlePubSubAsync(Element iq, Element pubsub, NodeRequester requester, bool get)
    {
        var action = PrimaryAction(pubsub);
        return (action.Name, get) switch
        {
            ("create", false) => CreateAsync(iq, pubsub, requester),
            ("publish", false) => PublishAsync(iq, action, pubsub, requester),
            ("retract", false) => RetractAsync(iq, action, requester),
            ("subscribe", false) => SubscribeAsync(iq, action, pubsub, requester),
            ("unsubscribe", false) => UnsubscribeAsync(iq, action, requester),
            ("options", _) => OptionsAsync(iq, action, requester, get),
            ("items", true) => Task.FromResult(Reply(Items(iq, action, pubsub, requester))),
            ("subscriptions", true) => Task.FromResult(Reply(OwnSubscriptions(iq, requester))),
            ("affiliations", true) => Task.FromResult(Reply(OwnAffiliation(iq, requester))),
            _ => throw new StanzaErrorException(StanzaError.BadRequest()),
        };
    }

    private Task<NodeReply> HandleOwnerAsync(Element iq, Element pubsub, NodeRequester requester, bool get)
    {
        var action = pubsub.FirstElement() ?? throw new StanzaErrorException(StanzaError.BadRequest());
        return (action.Name, get) switch
        {
            ("configure", _) => ConfigureAsync(iq, action, requester, get),
            ("delete", false) => DeleteAsync(iq, action, requester),
            ("purge", false) => PurgeAsync(iq, requester),
            ("subscriptions", _) => ManageSubscriptionsAsync(iq, action, requester, get),
            ("affiliations", _) => ManageAffiliationsAsync(iq, action, requester, get),
            _ => throw new StanzaErrorException(StanzaError.BadRequest()),
        };
    }

    /// <summary>
    /// The action of a pubsub request: its first child other than the configure, publish-options
    /// or options elements that may accompany it (§7.1.5, §6.3.7, §8.1.3).
    /// </summary>
    private static Element PrimaryAction(Element pubsub) =>
        pubsub.Elements().FirstOrDefault(e => e.Name is not ("configure" or "publish-options"))
        ?? pubsub.FirstElement()
        ?? throw new StanzaErrorException(StanzaError.BadRequest());

    private static NodeReply Reply(Element reply) => new(reply);

    private void RequireNode()
    {
        if (!Exists)
        {
            throw PubSubErrors.NodeNotFound();
        }
    }

    /// <summary>The requester's affiliation: the service's owner owns every node (Prosody: admins, and the PEP account).</summary>
    private string AffiliationOf(NodeRequester requester) =>
        requester.OwnsService ? NodeAffiliation.Owner : State.Affiliations.GetValueOrDefault(requester.Bare, NodeAffiliation.None);

    private void RequireOwner(NodeRequester requester)
    {
        RequireNode();
        if (AffiliationOf(requester) != NodeAffiliation.Owner)
        {
            throw PubSubErrors.Forbidden("Only owners may do this");
        }
    }

    /// <summary>Whether the requester may retrieve items and subscribe (§4.5, §6.1.3, §6.5.9), without saying why not.</summary>
    private bool MaySee(NodeRequester requester)
    {
        try
        {
            CheckAccess(requester);
            return true;
        }
        catch (StanzaErrorException)
        {
            return false;
        }
    }

    /// <summary>The access model's verdict for retrieving and subscribing, with the XEP's errors.</summary>
    private void CheckAccess(NodeRequester requester)
    {
        var affiliation = AffiliationOf(requester);
        if (affiliation == NodeAffiliation.Outcast)
        {
            throw PubSubErrors.Forbidden("You are banned from this node");
        }

        if (affiliation is NodeAffiliation.Owner or NodeAffiliation.Publisher or NodeAffiliation.Member)
        {
            return; // affiliates are on the whitelist of every model (§4.1)
        }

        if (affiliation == NodeAffiliation.PublishOnly)
        {
            throw PubSubErrors.Forbidden("Publish-only affiliates may not retrieve or subscribe");
        }

        switch (Config.AccessModel)
        {
            case AccessModel.Open:
                return;
            case AccessModel.Presence when !requester.PresenceSubscribed:
                throw PubSubErrors.PresenceSubscriptionRequired();
            case AccessModel.Roster when !(requester.RosterGroups ?? []).Intersect(Config.RosterGroupsAllowed, StringComparer.Ordinal).Any():
                throw PubSubErrors.NotInRosterGroup();
            case AccessModel.Presence or AccessModel.Roster:
                return;
            default:
                throw PubSubErrors.ClosedNode();
        }
    }

    private Task SaveAsync() => _state.SaveAsync();

    private Task SaveItemsAsync() => _items.SaveAsync();

    /// <summary>A notification message (§7.1.2.1) from the service to one subscriber.</summary>
    private Element Notification(string to, Element @event)
    {
        var message = new Element(Stanza.Message) { From = _service, To = to, Id = NewId() };
        if (Config.NotificationType == "headline")
        {
            message.Type = "headline";
        }

        message.Add(@event);
        return message;
    }

    /// <summary>Sends the event to every subscriber whose subscription delivers (§6.3: pubsub#deliver).</summary>
    private void NotifySubscribers(Element @event)
    {
        foreach (var (jid, subscription) in State.Subscriptions)
        {
            if (subscription.Deliver)
            {
                _outbox.Route(Notification(jid, @event.Clone()));
            }
        }
    }

    /// <summary>Who gets a PEP node's events through their presence (the account's grain decides).</summary>
    private NodeAudience Audience() =>
        new(Config.AccessModel, [.. Config.RosterGroupsAllowed],
            [.. State.Affiliations.Where(a => a.Value is NodeAffiliation.Owner or NodeAffiliation.Publisher or NodeAffiliation.Member).Select(a => a.Key)]);

    private static string NewId() => Guid.NewGuid().ToString("N");

    private readonly struct Handler(PubSubNodeGrain grain) : IStanzaHandler
    {
        public ILogger Logger => grain._logger;

        public Task HandleAsync(Element stanza) => grain.DispatchAsync(stanza);

        public void Reply(Element stanza, StanzaError error) => grain._outbox.Bounce(stanza, error);

        public void StaleState() => grain.DeactivateOnIdle();
    }
}
