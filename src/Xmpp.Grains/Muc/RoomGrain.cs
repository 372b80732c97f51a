using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Grains.Muc.State;
using Xmpp.Grains.Routing;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Muc;

/// <summary>
/// One multi-user chat room (XEP-0045), keyed by its bare JID. All room state lives here:
/// configuration, affiliations, subject and history (durable for persistent rooms) and the
/// occupants (memory only). Where the XEP leaves a choice, Prosody 0.12's muc.lib.lua is followed,
/// down to which presence goes to whom and in which order. Split into partial files by concern.
/// </summary>
/// <remarks>
/// Everything the room sends goes through <see cref="Send"/>: to a session of this node directly
/// (collected per session and written once at the end of the turn), else through the router, also
/// at the end of the turn (<see cref="Outbox"/>). A
/// groupchat message to N occupants is one turn of this grain and one push per occupant session,
/// with no grain call or storage access per recipient.
/// </remarks>
[GrainType("room")]
public sealed partial class RoomGrain : Grain, IRoomGrain
{
    private readonly IPersistentState<RoomState> _state;
    private readonly IPersistentState<RoomHistoryState> _storedHistory;
    private readonly SessionDirectory _directory;
    private readonly XmppOptions _options;
    private readonly MucOptions _muc;
    private readonly TimeProvider _clock;
    private readonly ILogger<RoomGrain> _logger;
    private readonly Outbox _outbox;
    private readonly IArchiveStore _archives;
    private readonly MucMetrics _metrics;

    // The session that sent the stanza being handled, when a client did; and how to reach the
    // sessions of occupants on other silos (through their silos' hubs, batched per silo) by real
    // full JID, learnt from the stanzas they joined with.
    private SessionAddress? _sender;
    private readonly Dictionary<string, SessionRoute> _sessionRoutes = new(StringComparer.Ordinal);

    // The real JIDs of sessions that left the room this turn: their routes stay until the turn
    // ends, so that what tells them they left (a kick, a ban, the room's destruction) goes the way
    // everything the room sent them before went, not around it through their accounts.
    private readonly List<string> _departedSessions = [];
    private OrderedDelivery<RoomListing>? _serviceNotices;

    // Occupants by occupant JID (room@service/nick), and the occupant JID of each joined real full JID.
    private readonly OrderedDictionary<string, Occupant> _occupants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _jidNick = new(StringComparer.Ordinal);

    private string _jid = null!;
    private string _host = null!;
    private bool _exists;
    private bool _destroying;

    public RoomGrain(
        [PersistentState("room")] IPersistentState<RoomState> state,
        [PersistentState("history")] IPersistentState<RoomHistoryState> storedHistory,
        IStanzaRouter router,
        SessionDirectory directory,
        SessionPushSender pushes,
        IArchiveStore archives,
        MucMetrics metrics,
        IOptions<XmppOptions> options,
        TimeProvider clock,
        ILogger<RoomGrain> logger)
    {
        _archives = archives;
        _metrics = metrics;
        _state = state;
        _storedHistory = storedHistory;
        _directory = directory;
        _outbox = new Outbox(pushes, router);
        _options = options.Value;
        _muc = _options.Muc;
        _clock = clock;
        _logger = logger;
    }

    private RoomConfig Config => _state.State.Config;

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>For <see cref="MucMetrics"/>: whether this room exists (not only activated by a stanza to no room).</summary>
    internal bool Exists => _exists;

    /// <summary>For <see cref="MucMetrics"/>.</summary>
    internal int OccupantCount => _occupants.Count;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _jid = this.GetPrimaryKeyString();
        _host = Jid.Parse(_jid).Domain;
        _exists = _state.State.Exists && _state.State.Tombstone is null;
        if (_exists)
        {
            LoadHistory();
        }

        _metrics.Activated(this);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _metrics.Deactivated(this);
        if (_occupants.Count > 0)
        {
            // XEP-0045 §15.6.2 status 332: the service is going away; occupants are not kept.
            RemoveEveryone(MucUserX().AddStatus(MucStatus.RemovedShutdown));
            _outbox.Flush();
        }

        try
        {
            await SaveHistoryAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not save the history of room {Room}", _jid);
        }
    }

    public async Task HandleAsync(IReadOnlyList<RoutedStanza> stanzas)
    {
        try
        {
            foreach (var routed in stanzas)
            {
                _sender = routed.Sender;
                RefreshRouteOfSender();
                await StanzaBatch.HandleAsync(routed.Stanza, new Handler(this));
            }
        }
        finally
        {
            _sender = null;
            await EndTurnPacedAsync();
        }
    }

    public Task<RoomListing?> GetListingAsync() => Task.FromResult(_exists ? Listing() : null);

    private async Task DispatchAsync(Element stanza)
    {
        if (!Jid.TryParse(stanza.From, out var from) || !Jid.TryParse(stanza.To, out var to))
        {
            return; // only the router and grains deliver here, with both addresses set
        }

        if (to.IsFull && MucNickname.Prepare(to) is var occupantJid && occupantJid != to)
        {
            // The nickname as Prosody's router prepares it, which replies come from; on a copy,
            // as the sender may still hold the stanza it handed over.
            stanza = stanza.Clone();
            stanza.To = occupantJid.ToString();
            to = occupantJid;
        }

        if (_state.State.Tombstone is { } tombstone && await AnswerFromTombstoneAsync(stanza, from, tombstone))
        {
            return;
        }

        if (!_exists)
        {
            await HandleToMissingRoomAsync(stanza, from, to);
            return;
        }

        if (to.IsFull)
        {
            switch (stanza.Name)
            {
                case Stanza.Presence:
                    await HandlePresenceToOccupantAsync(stanza, from);
                    break;
                case Stanza.Iq:
                    HandleIqToOccupant(stanza, from);
                    break;
                default:
                    HandleMessageToOccupant(stanza, from);
                    break;
            }

            return;
        }

        switch (stanza.Name)
        {
            case Stanza.Presence:
                await HandlePresenceToRoomAsync(stanza, from);
                break;
            case Stanza.Iq:
                await HandleIqToRoomAsync(stanza, from);
                break;
            default:
                await HandleMessageToRoomAsync(stanza, from);
                break;
        }
    }

    /// <summary>
    /// XEP-0045 §7.2: presence with the MUC payload to a room that does not exist creates it;
    /// anything else is answered <c>item-not-found</c> by the service.
    /// </summary>
    private async Task HandleToMissingRoomAsync(Element stanza, Jid from, Jid to)
    {
        if (stanza.Name == Stanza.Presence && stanza.Type is null && stanza.Child("x", Namespaces.Muc) is not null)
        {
            if (to.IsBare)
            {
                // §7.2.1: a join without a nickname.
                ReplyJoinError(stanza, StanzaError.JidMalformed(), _jid);
                return;
            }

            await HandleFirstPresenceAsync(stanza, from, to);
            return;
        }

        ReplyError(stanza, StanzaError.ItemNotFound(), _host);
    }

    /// <summary>
    /// What is left at the end of every turn: one write per session, and the room's lifetime: the
    /// occupants live only in this activation, so it stays while there are any; an empty room
    /// follows the normal idle rule. The turn ends once its pushes are on their way or, when a silo
    /// of its occupants falls behind, once that silo took them: the room (and through it its
    /// senders) slows to that silo's pace instead of queueing for it without bound.
    /// </summary>
    private Task EndTurnPacedAsync()
    {
        var paced = _outbox.FlushPacedAsync();
        ForgetDepartedSessions();
        DelayDeactivation(_occupants.Count > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);
        return paced;
    }

    /// <summary>
    /// <see cref="EndTurnPacedAsync"/> for a call made on a service administrator's behalf, whose result
    /// the MUC service answers with: it returns once this turn's pushes reached the sessions' silos
    /// and what it routed reached the recipients' grains (<see cref="Outbox.FlushAsync"/>), so that
    /// answer cannot overtake them (the occupants' presences come first, as in Prosody).
    /// </summary>
    private Task EndTurnDeliveredAsync()
    {
        var delivered = _outbox.FlushAsync();
        ForgetDepartedSessions();
        DelayDeactivation(_occupants.Count > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);
        return delivered;
    }

    // ---- sending ---------------------------------------------------------------------------

    /// <summary>
    /// Sends a stanza that nobody will change afterwards: to the recipient's session when the room
    /// knows it (on this silo, or an occupant's or the sender's session on another; written with the
    /// rest of this turn's stanzas for that session or that silo), else through the router when the
    /// turn ends (so that a flush that waits knows of it).
    /// </summary>
    private void Send(Element stanza)
    {
        if (stanza.To is { } to && SessionOf(to) is { } session)
        {
            _outbox.Add(session, stanza);
        }
        else
        {
            _outbox.Route(stanza);
        }
    }

    /// <summary>Forgets the routes of the sessions that left the room this turn (and did not come back in it).</summary>
    private void ForgetDepartedSessions()
    {
        foreach (var realJid in _departedSessions)
        {
            if (!_jidNick.ContainsKey(realJid))
            {
                _sessionRoutes.Remove(realJid);
            }
        }

        _departedSessions.Clear();
    }

    /// <summary>
    /// An occupant's session that is now reached elsewhere (resumed on another connection, XEP-0198,
    /// or bound anew) is the same full JID at a new address: what it sends tells the room where it
    /// is, so that its route is not the old connection's (which would pass everything back through
    /// the account) until it next sends presence.
    /// </summary>
    private void RefreshRouteOfSender()
    {
        if (_sender is { } sender && _sessionRoutes.TryGetValue(sender.FullJid, out var kept) && !kept.Reference.Equals(sender.Session))
        {
            _sessionRoutes[sender.FullJid] = _directory.Resolve(sender);
        }
    }

    private SessionRoute? SessionOf(string realJid)
    {
        if (_directory.TryGet(realJid, out var local))
        {
            return local;
        }

        if (_sessionRoutes.TryGetValue(realJid, out var route))
        {
            return route;
        }

        return _sender is { } sender && sender.FullJid == realJid ? _directory.Resolve(sender) : null;
    }

    /// <summary>Sends the stanza to every session of the occupant (Prosody's route_to_occupant).</summary>
    private void RouteToOccupant(Occupant occupant, Element stanza)
    {
        foreach (var realJid in occupant.Sessions.Keys)
        {
            Send(Stanza.Envelope(stanza, realJid));
        }
    }

    /// <summary>Sends the stanza to every occupant the filter accepts (Prosody's broadcast).</summary>
    private void Broadcast(Element stanza, Func<Occupant, bool>? filter = null)
    {
        foreach (var occupant in _occupants.Values)
        {
            if (filter is null || filter(occupant))
            {
                RouteToOccupant(occupant, stanza);
            }
        }
    }

    /// <summary>
    /// The error reply to a stanza, as Prosody's st.error_reply: 'by' is the room or the service,
    /// left out when it is the replying address anyway. Never answers an error.
    /// </summary>
    private void ReplyError(Element stanza, StanzaError error, string? by = null)
    {
        if (!Stanza.MayBounce(stanza) || stanza.From is null)
        {
            return;
        }

        Send(Stanza.ErrorReply(stanza, error, by == stanza.To ? null : by));
    }

    /// <summary>
    /// An error answering a join (or nickname change): carries the <c>&lt;x xmlns='…muc'/&gt;</c>
    /// of the attempt (XEP-0045 §7.2, e.g. Example 23), without the password.
    /// </summary>
    private void ReplyJoinError(Element stanza, StanzaError error, string? by)
    {
        if (!Stanza.MayBounce(stanza) || stanza.From is null)
        {
            return;
        }

        var reply = Stanza.ErrorReply(stanza, error, by == stanza.To ? null : by);
        reply.Add(new Element("x", Namespaces.Muc));
        Send(reply);
    }

    /// <summary>RFC 6120 §10.3.3 as Prosody answers what no handler took: service-unavailable.</summary>
    private void Unhandled(Element stanza) => ReplyError(stanza, StanzaError.ServiceUnavailable());

    private void SendResult(Element iq, Element? payload = null) => Send(Stanza.Result(iq, payload));

    // ---- affiliations and roles ------------------------------------------------------------

    private bool IsServiceAdmin(string? jid) =>
        jid is not null && Jid.TryParse(jid, out var parsed) && _options.Admins.Contains(parsed.Bare.ToString(), StringComparer.Ordinal);

    /// <summary>
    /// The affiliation of a (bare or full) JID: its own, else outcast when its whole domain is
    /// banned. Service administrators are owners of every room, as Prosody's
    /// component_admins_as_room_owners makes them.
    /// </summary>
    private Affiliation GetAffiliation(string? jid)
    {
        if (jid is null || !Jid.TryParse(jid, out var parsed))
        {
            return Affiliation.None;
        }

        var bare = parsed.Bare.ToString();
        if (_muc.AdminsAreRoomOwners && _options.Admins.Contains(bare, StringComparer.Ordinal))
        {
            return Affiliation.Owner;
        }

        if (_state.State.Affiliations.TryGetValue(bare, out var record))
        {
            return record.Affiliation;
        }

        return _state.State.Affiliations.TryGetValue(parsed.Domain, out var domain) && domain.Affiliation == Affiliation.Outcast
            ? Affiliation.Outcast
            : Affiliation.None;
    }

    /// <summary>
    /// The role a user gets on entering (XEP-0045 §5.1.2, Prosody's muc-get-default-role):
    /// moderator for owners and admins; none (no entry) for outcasts and, in members-only rooms,
    /// for the unaffiliated; visitor for the unaffiliated in moderated rooms; else participant.
    /// </summary>
    private Role DefaultRole(Affiliation affiliation)
    {
        if (affiliation == Affiliation.None && Config.MembersOnly)
        {
            return Role.None;
        }

        if (affiliation == Affiliation.None && Config.Moderated)
        {
            return Role.Visitor;
        }

        return affiliation switch
        {
            >= Affiliation.Admin => Role.Moderator,
            >= Affiliation.None => Role.Participant,
            _ => Role.None,
        };
    }

    private bool WhoisAnyone => Config.Whois == RoomConfig.WhoisAnyone;

    /// <summary>Who sees real JIDs (XEP-0045 §4.2): everyone in non-anonymous rooms, else moderators.</summary>
    private bool CanSeeRealJids(Occupant recipient) => WhoisAnyone || recipient.Role >= Role.Moderator;

    /// <summary>Whether presence sent to this real JID must hide other occupants' real JIDs.</summary>
    private bool IsAnonymousFor(string realJid)
    {
        if (WhoisAnyone)
        {
            return false;
        }

        if (GetAffiliation(realJid) is Affiliation.Admin or Affiliation.Owner)
        {
            return false;
        }

        return !(OccupantByRealJid(realJid) is { } occupant && CanSeeRealJids(occupant));
    }

    // ---- occupants --------------------------------------------------------------------------

    /// <summary>A copy of the occupant with this occupant JID (change it, then <see cref="SaveOccupant"/>).</summary>
    private Occupant? OccupantByNick(string occupantJid) =>
        _occupants.TryGetValue(occupantJid, out var occupant) ? occupant.Copy() : null;

    /// <summary>A copy of the occupant that this real full JID is a session of.</summary>
    private Occupant? OccupantByRealJid(string realJid) =>
        _jidNick.TryGetValue(realJid, out var nick) ? OccupantByNick(nick) : null;

    private Occupant NewOccupant(string bareJid, string occupantJid) =>
        new(bareJid, occupantJid)
        {
            Role = DefaultRole(GetAffiliation(bareJid)),
            OccupantId = OccupantIdFor(bareJid),
        };

    /// <summary>
    /// Stores a copy of the occupant, keeping the real-JID index in step (Prosody's save_occupant).
    /// An occupant without an available session has left: it is removed and null returned.
    /// </summary>
    private Occupant? SaveOccupant(Occupant occupant)
    {
        var copy = occupant.Copy();
        if (_occupants.TryGetValue(copy.Jid, out var old))
        {
            foreach (var realJid in old.Sessions.Keys)
            {
                _jidNick.Remove(realJid);
            }
        }

        var live = false;
        if (copy.Role != Role.None)
        {
            foreach (var (realJid, presence) in copy.Sessions)
            {
                if (presence.Type is null)
                {
                    live = true;
                    _jidNick[realJid] = copy.Jid;
                    if (_sender is { } sender && sender.FullJid == realJid)
                    {
                        _sessionRoutes[realJid] = _directory.Resolve(sender);
                    }
                }
            }

            if (!live)
            {
                copy.Role = Role.None;
            }
        }

        if (old is not null)
        {
            foreach (var realJid in old.Sessions.Keys)
            {
                if (!_jidNick.ContainsKey(realJid) && _sessionRoutes.ContainsKey(realJid))
                {
                    _departedSessions.Add(realJid); // that session left the room: its route goes when the turn ends
                }
            }
        }

        if (!live)
        {
            _occupants.Remove(copy.Jid);
            return null;
        }

        _occupants[copy.Jid] = copy;
        return copy;
    }

    /// <summary>XEP-0421: a stable, anonymous id of the real bare JID within this room.</summary>
    private Element OccupantIdFor(string bareJid)
    {
        var id = Convert.ToBase64String(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(bareJid), System.Text.Encoding.UTF8.GetBytes(Salt)));
        return new Element("occupant-id", Namespaces.OccupantId).SetAttribute("id", id);
    }

    private string Salt => _state.State.Salt ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string? ResourceOf(string jid)
    {
        var slash = jid.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : jid[(slash + 1)..];
    }

    private static string BareOf(string jid)
    {
        var slash = jid.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? jid : jid[..slash];
    }

    private string OccupantJid(string nick) => _jid + "/" + nick;

    /// <summary>How a batch of stanzas is taken (StanzaBatch): errors are answered as the service answers them.</summary>
    private readonly struct Handler(RoomGrain grain) : IStanzaHandler
    {
        public ILogger Logger => grain._logger;

        public Task HandleAsync(Element stanza) => grain.DispatchAsync(stanza);

        public void Reply(Element stanza, StanzaError error) => grain.ReplyError(stanza, error);

        public void StaleState() => grain.DeactivateOnIdle();
    }
}
