using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Grains.Muc.State;
using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Muc;

/// <summary>
/// The MUC service JID (XEP-0045 §6.1–§6.3): its disco, the list of public rooms, unique room
/// names (XEP-0307) and the administrators' ad-hoc commands (XEP-0050, Prosody's muc#destroy and
/// muc#set-affiliation). Keeps the registry of rooms: persistent ones durably, live temporary
/// ones in memory (and stays active while it has any).
/// </summary>
[GrainType("muc")]
public sealed partial class MucServiceGrain : Grain, IMucServiceGrain
{
    private readonly IPersistentState<MucServiceState> _state;
    private readonly IStanzaRouter _router;
    private readonly SessionDirectory _directory;
    private readonly XmppOptions _options;
    private readonly ILogger<MucServiceGrain> _logger;
    private readonly Outbox _outbox;
    private readonly Dictionary<string, RoomListing> _temporaryRooms = new(StringComparer.Ordinal);
    private string _host = null!;

    public MucServiceGrain(
        [PersistentState("rooms")] IPersistentState<MucServiceState> state,
        IStanzaRouter router,
        SessionDirectory directory,
        SessionPushSender pushes,
        IOptions<XmppOptions> options,
        ILogger<MucServiceGrain> logger)
    {
        _state = state;
        _router = router;
        _directory = directory;
        _outbox = new Outbox(pushes, router);
        _options = options.Value;
        _logger = logger;
    }

    private string ServiceName => string.IsNullOrWhiteSpace(_options.Muc.Name) ? _options.SoftwareName + " Chatrooms" : _options.Muc.Name;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _host = this.GetPrimaryKeyString();
        return Task.CompletedTask;
    }

    public async Task RoomsChangedAsync(IReadOnlyList<RoomListing> listings)
    {
        var changed = false;
        foreach (var listing in listings)
        {
            changed |= Apply(listing);
        }

        if (changed)
        {
            await _state.SaveAsync();
        }

        KeepWhileTrackingTemporaryRooms();
    }

    /// <summary>Takes in one room's change; true when the stored registry changed.</summary>
    private bool Apply(RoomListing listing)
    {
        var persisted = _state.State.Rooms;
        var wasPersisted = persisted.Remove(listing.Jid, out var previous);
        _temporaryRooms.Remove(listing.Jid);
        if (listing.Exists && listing.Persistent)
        {
            persisted[listing.Jid] = listing;
        }
        else if (listing.Exists)
        {
            _temporaryRooms[listing.Jid] = listing;
        }

        return wasPersisted != (listing.Exists && listing.Persistent)
            || (wasPersisted && (previous!.Name != listing.Name || previous.Public != listing.Public));
    }

    public async Task AccountRemovedAsync(string bareJid)
    {
        foreach (var room in AllRooms())
        {
            await GrainFactory.GetGrain<IRoomGrain>(room.Jid).AccountRemovedAsync(bareJid);
        }
    }

    public Task<IReadOnlyList<string>> ListRoomsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(AllRooms().Select(r => r.Jid).Order(StringComparer.Ordinal).ToList());

    private IEnumerable<RoomListing> AllRooms() => _state.State.Rooms.Values.Concat(_temporaryRooms.Values);

    /// <summary>Live temporary rooms are listed only in memory, so the service stays while it tracks any.</summary>
    private void KeepWhileTrackingTemporaryRooms() =>
        DelayDeactivation(_temporaryRooms.Count > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);

    public async Task HandleAsync(IReadOnlyList<Element> stanzas)
    {
        try
        {
            await StanzaBatch.HandleEachAsync(stanzas, new Handler(this));
        }
        finally
        {
            _outbox.Flush();
        }
    }

    private async Task DispatchAsync(Element stanza)
    {
        if (stanza.From is null)
        {
            return;
        }

        if (stanza.Name != Stanza.Iq)
        {
            // Presence and messages to the service itself: there is no such room (Prosody).
            ReplyError(stanza, StanzaError.ItemNotFound());
            return;
        }

        var payload = stanza.FirstElement();
        if (!Stanza.IsIqRequest(stanza) || payload is null)
        {
            if (Stanza.IsIqRequest(stanza))
            {
                ReplyError(stanza, StanzaError.ServiceUnavailable());
            }

            return;
        }

        var get = stanza.Type == "get";
        switch (payload.Namespace, payload.Name)
        {
            case (Namespaces.DiscoInfo, "query") when get:
                DiscoInfo(stanza, payload);
                break;
            case (Namespaces.DiscoItems, "query") when get:
                DiscoItems(stanza, payload);
                break;
            case (Namespaces.MucUnique, "unique") when get:
                // XEP-0307: a name nobody uses yet.
                Send(Stanza.Result(stanza, new Element("unique", Namespaces.MucUnique).AddText(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)))));
                break;
            case (Namespaces.Commands, "command") when !get:
                await ExecuteCommandAsync(stanza, payload);
                break;
            case (Namespaces.MucAdmin or Namespaces.MucOwner, "query"):
                ReplyError(stanza, StanzaError.ItemNotFound());
                break;
            default:
                ReplyError(stanza, StanzaError.ServiceUnavailable());
                break;
        }
    }

    private bool IsAdmin(string? jid) =>
        jid is not null && Jid.TryParse(jid, out var parsed) && _options.Admins.Contains(parsed.Bare.ToString(), StringComparer.Ordinal);

    private void Send(Element stanza)
    {
        if (stanza.To is { } to && _directory.TryGet(to, out var session))
        {
            _outbox.Add(session, stanza);
        }
        else
        {
            _router.Route(stanza);
        }
    }

    private void ReplyError(Element stanza, StanzaError error)
    {
        if (Stanza.MayBounce(stanza))
        {
            Send(Stanza.ErrorReply(stanza, error));
        }
    }

    private void DiscoInfo(Element iq, Element payload)
    {
        var node = payload.GetAttribute("node");
        var query = new Element("query", Namespaces.DiscoInfo).SetAttribute("node", string.IsNullOrEmpty(node) ? null : node);
        if (string.IsNullOrEmpty(node))
        {
            query.AddChild("identity", Namespaces.DiscoInfo)
                .SetAttribute("category", "conference")
                .SetAttribute("type", "text")
                .SetAttribute("name", ServiceName);
            foreach (var feature in new[] { Namespaces.DiscoInfo, Namespaces.DiscoItems, Namespaces.Muc, Namespaces.MucUnique, Namespaces.OccupantId, Namespaces.Commands })
            {
                query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", feature);
            }

            Send(Stanza.Result(iq, query));
            return;
        }

        if (node == Namespaces.Commands)
        {
            query.AddChild("identity", Namespaces.DiscoInfo)
                .SetAttribute("name", "Ad-Hoc Commands")
                .SetAttribute("category", "automation")
                .SetAttribute("type", "command-list");
            Send(Stanza.Result(iq, query));
            return;
        }

        if (Command.Find(node) is { } command)
        {
            if (!IsAdmin(iq.From))
            {
                ReplyError(iq, StanzaError.Forbidden("This item is not available to you"));
                return;
            }

            query.AddChild("identity", Namespaces.DiscoInfo)
                .SetAttribute("name", command.Name)
                .SetAttribute("category", "automation")
                .SetAttribute("type", "command-node");
            query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", Namespaces.Commands);
            query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", Namespaces.DataForms);
            Send(Stanza.Result(iq, query));
            return;
        }

        ReplyError(iq, StanzaError.ItemNotFound("Node does not exist"));
    }

    /// <summary>XEP-0045 §6.3: the public rooms; the command list on the commands node (XEP-0050 §2.2).</summary>
    private void DiscoItems(Element iq, Element payload)
    {
        var node = payload.GetAttribute("node");
        if (string.IsNullOrEmpty(node))
        {
            var query = new Element("query", Namespaces.DiscoItems);
            foreach (var room in AllRooms().Where(r => r.Public).OrderBy(r => r.Jid, StringComparer.Ordinal))
            {
                query.AddChild("item", Namespaces.DiscoItems)
                    .SetAttribute("jid", room.Jid)
                    .SetAttribute("name", string.IsNullOrEmpty(room.Name) ? null : room.Name);
            }

            Send(Stanza.Result(iq, query));
            return;
        }

        if (node == Namespaces.Commands)
        {
            var query = new Element("query", Namespaces.DiscoItems).SetAttribute("node", node);
            if (IsAdmin(iq.From))
            {
                foreach (var command in Command.All.OrderBy(c => c.Node, StringComparer.Ordinal))
                {
                    query.AddChild("item", Namespaces.DiscoItems)
                        .SetAttribute("name", command.Name)
                        .SetAttribute("node", command.Node)
                        .SetAttribute("jid", _host);
                }
            }

            Send(Stanza.Result(iq, query));
            return;
        }

        ReplyError(iq, StanzaError.ItemNotFound("Node does not exist"));
    }

    /// <summary>How a batch of stanzas is taken (StanzaBatch): errors are answered as the service answers them.</summary>
    private readonly struct Handler(MucServiceGrain grain) : IStanzaHandler
    {
        public ILogger Logger => grain._logger;

        public Task HandleAsync(Element stanza) => grain.DispatchAsync(stanza);

        public void Reply(Element stanza, StanzaError error) => grain.ReplyError(stanza, error);

        public void StaleState() => grain.DeactivateOnIdle();
    }
}
