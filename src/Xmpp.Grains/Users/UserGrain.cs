using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Xmpp.Grains.Diagnostics;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Users.State;
using Xmpp.Storage;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Users;

/// <summary>
/// One account: its sessions, roster and presence (RFC 6121), offline messages (XEP-0160),
/// blocklist (XEP-0191), vCard (XEP-0054) and last activity (XEP-0012). Where the RFCs leave a
/// choice, Prosody 0.12's behaviour is followed. Split into partial files by concern.
/// </summary>
/// <remarks>
/// Placed on the silo that calls it first, which is almost always the one of the user's login:
/// every stanza the client sends is a call to this grain, and next to the session it is a call
/// within the silo. Load spreads with the connections (the load balancer in front of the silos).
/// </remarks>
[GrainType("user")]
[PreferLocalPlacement]
public sealed partial class UserGrain : Grain, IUserGrain
{
    private readonly IPersistentState<RosterState> _roster;
    private readonly IPersistentState<BlocklistState> _blocklist;
    private readonly IPersistentState<OfflineState> _offline;
    private readonly IPersistentState<ProfileState> _profile;
    private readonly SessionDirectory _directory;
    private readonly IAccountStore _accounts;
    private readonly IArchiveStore _archives;
    private readonly PubSub.EntityCapsCache _capsCache;
    private readonly XmppOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<UserGrain> _logger;
    private readonly LimitMetrics _limitMetrics;

    // Senders already logged as over their share of the offline store (one line each per activation).
    private readonly HashSet<string> _sendersOverShare = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserSession> _sessions = new(StringComparer.Ordinal);
    private readonly Outbox _outbox;
    private readonly SessionPushSender _pushes;
    private readonly UserRelay _relay;
    private Jid _bare = null!;
    private string _bareText = null!;

    // While a batch of undelivered stanzas is handled: offline storage is written once at its end.
    private bool _offlineWritesDeferred;

    // While a batch of undelivered stanzas is handled: the messages stored offline come back from a
    // session that ended, not from their senders anew, so they do not count against a sender's share.
    private bool _returningUndelivered;

    // Unknown until needed: a bind proves the account exists, so a login never pays a lookup.
    private bool? _accountExists;

    public UserGrain(
        [PersistentState("roster")] IPersistentState<RosterState> roster,
        [PersistentState("blocklist")] IPersistentState<BlocklistState> blocklist,
        [PersistentState("offline")] IPersistentState<OfflineState> offline,
        [PersistentState("profile")] IPersistentState<ProfileState> profile,
        IStanzaRouter router,
        SessionDirectory directory,
        SessionPushSender pushes,
        UserRelay relay,
        IAccountStore accounts,
        IArchiveStore archives,
        PubSub.EntityCapsCache capsCache,
        LimitMetrics limitMetrics,
        IOptions<XmppOptions> options,
        TimeProvider clock,
        ILogger<UserGrain> logger)
    {
        _roster = roster;
        _blocklist = blocklist;
        _offline = offline;
        _profile = profile;
        _directory = directory;
        _pushes = pushes;
        _outbox = new Outbox(pushes, router);
        _relay = relay;
        _accounts = accounts;
        _archives = archives;
        _capsCache = capsCache;
        _limitMetrics = limitMetrics;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _bare = Jid.Parse(this.GetPrimaryKeyString());
        _bareText = _bare.ToString();
        return Task.CompletedTask;
    }

    public async Task DeliverAsync(IReadOnlyList<Element> stanzas)
    {
        try
        {
            if (stanzas.Count > 1 && _options.Archive.Enabled)
            {
                await ArchiveAheadAsync(stanzas, inbound: true);
            }

            await StanzaBatch.HandleEachAsync(stanzas, new Inbound(this));
        }
        finally
        {
            _archivedAhead = null;
            _outbox.Flush();
        }
    }

    public async Task<IUserRelay> DeliverAndLocateAsync(IReadOnlyList<Element> stanzas)
    {
        await DeliverAsync(stanzas);
        return _relay.Reference;
    }

    public async Task ProcessOutboundAsync(string resource, ISessionObserver session, IReadOnlyList<Element> stanzas)
    {
        if (!_sessions.TryGetValue(resource, out var bound) || !bound.Is(session))
        {
            return; // the session ended, or a newer bind replaced it, while these stanzas were on their way
        }

        try
        {
            if (stanzas.Count > 1 && _options.Archive.Enabled)
            {
                await ArchiveAheadAsync(stanzas, inbound: false);
            }

            await StanzaBatch.HandleEachAsync(stanzas, new Outbound(this, bound));
        }
        finally
        {
            _archivedAhead = null;
            await FlushAfterOutboundArchivingAsync();
        }
    }

    private Task HandleOutboundAsync(UserSession session, Element stanza)
    {
        Jid? to = null;
        if (stanza.To is not null && !Jid.TryParse(stanza.To, out to))
        {
            throw new StanzaErrorException(StanzaError.JidMalformed());
        }

        if (to is not null && IsBlocked(to) && !IsSubscriptionManagement(stanza, to))
        {
            // XEP-0191 §3.3: the user may not talk to a JID they blocked.
            if (Stanza.MayBounce(stanza))
            {
                // Type 'cancel', as Prosody sends it: retrying will not help until the user unblocks.
                var error = StanzaError.NotAcceptable("You have blocked this JID") with
                {
                    Type = StanzaError.TypeCancel,
                    ApplicationCondition = new Element("blocked", Namespaces.BlockingErrors),
                };
                _outbox.Add(session.Route, Stanza.ErrorReply(stanza, error));
            }

            return Task.CompletedTask;
        }

        return stanza.Name switch
        {
            Stanza.Presence => HandleOutboundPresenceAsync(session, stanza, to),
            Stanza.Iq => HandleOutboundIqAsync(session, stanza, to),
            _ => HandleOutboundMessage(session, stanza, to),
        };
    }

    private Task HandleOutboundMessage(UserSession session, Element stanza, Jid? to)
    {
        if (to is null)
        {
            // RFC 6120 §10.3: no 'to' means the user's own bare JID.
            DeliverMessageToBare(stanza);
            return Task.CompletedTask;
        }

        if (to.Bare != _bare && ArchivesMessage(stanza, to))
        {
            return ArchiveThenRouteAsync(session, stanza, to);
        }

        _outbox.Route(stanza, session.Route.Address);
        SendSentCarbons(stanza, session, archiveId: null);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The user's own copy goes into the archive (XEP-0313 §5.1.1: outgoing messages too): its
    /// append is under way before the message leaves (<see cref="UntilItMayGoOn"/>).
    /// </summary>
    private async Task ArchiveThenRouteAsync(UserSession session, Element stanza, Jid to)
    {
        var id = await ArchiveAsync(stanza, stanza, to, inbound: false);
        _outbox.Route(stanza, session.Route.Address);
        SendSentCarbons(stanza, session, id);
    }

    private Task HandleInboundAsync(Element stanza) =>
        _accountExists is null ? LookUpAccountThenHandleAsync(stanza) : HandleInboundForAccount(stanza);

    /// <summary>The first stanza for an account nobody has logged in to here: does it exist at all? (Not once removed, whatever open authentication says.)</summary>
    private async Task LookUpAccountThenHandleAsync(Element stanza)
    {
        _accountExists = !HasTombstone && (_options.EveryAccountExists || await _accounts.FindAsync(_bare.Local!) is not null);
        await HandleInboundForAccount(stanza);
    }

    private Task HandleInboundForAccount(Element stanza)
    {
        if (!Jid.TryParse(stanza.From, out var from) || !Jid.TryParse(stanza.To, out var to))
        {
            return Task.CompletedTask; // only the router and grains produce inbound stanzas; nothing to answer
        }

        if (_accountExists == false)
        {
            RefuseForMissingAccount(stanza, from, to);
            return Task.CompletedTask;
        }

        if (from.Bare != _bare && IsBlocked(from))
        {
            RefuseFromBlocked(stanza, to);
            return Task.CompletedTask;
        }

        if (IsFromStranger(stanza, from, to))
        {
            return Task.CompletedTask;
        }

        return stanza.Name switch
        {
            Stanza.Presence => HandleInboundPresenceAsync(stanza, from, to),
            Stanza.Iq => HandleInboundIqAsync(stanza, from, to),
            _ => HandleInboundMessageAsync(stanza, from, to),
        };
    }

    /// <summary>An available-and-bound session of this user by resource, if any.</summary>
    private UserSession? SessionOf(Jid to) =>
        to.Resource is not null && _sessions.TryGetValue(to.Resource, out var session) ? session : null;

    private IEnumerable<UserSession> AvailableSessions => _sessions.Values.Where(s => s.IsAvailable);

    private DateTimeOffset Now => _clock.GetUtcNow();

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
