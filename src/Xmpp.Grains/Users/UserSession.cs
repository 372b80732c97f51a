using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Users;

/// <summary>What a UserGrain knows about one bound resource. Lives only as long as the connection.</summary>
internal sealed class UserSession(Jid fullJid, SessionRoute route)
{
    public Jid FullJid { get; } = fullJid;

    /// <summary>How pushes reach the session (directly on this silo, else through its silo's hub).</summary>
    public SessionRoute Route { get; private set; } = route;

    /// <summary>
    /// The observer references this session had before its latest resumptions (XEP-0198), newest
    /// first, a few: what was pushed to them and came back, and what their connections sent on
    /// its way, belongs to this session. Null until it is first resumed.
    /// </summary>
    private List<ISessionObserver>? _formerReferences;

    private const int FormerReferencesKept = 4;

    /// <summary>The client resumed the session on another connection: the same resource, presence and interests, reached at <paramref name="route"/>.</summary>
    public void ResumedAt(SessionRoute route)
    {
        _formerReferences ??= new List<ISessionObserver>(1);
        _formerReferences.Insert(0, Route.Reference);
        if (_formerReferences.Count > FormerReferencesKept)
        {
            _formerReferences.RemoveAt(FormerReferencesKept);
        }

        Route = route;
    }

    /// <summary>Whether <paramref name="reference"/> is this session: its current observer, or one it was resumed from.</summary>
    public bool Is(ISessionObserver reference) => Route.Reference.Equals(reference) || WasResumedFrom(reference);

    /// <summary>Whether <paramref name="reference"/> is one this session was resumed from (not its current observer).</summary>
    public bool WasResumedFrom(ISessionObserver reference) => _formerReferences?.Contains(reference) == true;

    /// <summary>
    /// The last available presence broadcast, stamped with XEP-0203 delay for later replays (probe
    /// answers, newly available resources); null while the resource is unavailable (RFC 6121 §4.2).
    /// Kept as UTF-8: it is read only when replayed, while most sessions sit idle for hours holding
    /// it, and as bytes it takes about a quarter of the memory of its element tree.
    /// </summary>
    private byte[]? _presence;

    public bool IsAvailable => _presence is not null;

    /// <summary>Remembers <paramref name="presence"/> (a copy: later changes to it are not seen), or forgets it.</summary>
    public void StorePresence(Element? presence) => _presence = presence is null ? null : XmlText.SerializeToUtf8(presence);

    /// <summary>A new copy of the stored presence, addressed to <paramref name="to"/>.</summary>
    public Element ReplayPresence(string to)
    {
        var presence = XmlText.Parse(_presence ?? throw new InvalidOperationException($"{FullJid} is unavailable"));
        presence.To = to;
        return presence;
    }

    /// <summary>RFC 6121 §4.7.2.3: -128 … 127; negative means "never a target for bare-JID messages".</summary>
    public int Priority { get; set; }

    /// <summary>Requested the roster, so receives roster pushes (RFC 6121 §2.1.6).</summary>
    public bool WantsRosterPushes { get; set; }

    /// <summary>Enabled message carbons (XEP-0280), so receives copies of what its account's other resources send and get.</summary>
    public bool WantsCarbons { get; set; }

    /// <summary>Requested the blocklist, so receives blocklist pushes (XEP-0191 §3.1).</summary>
    public bool WantsBlocklistPushes { get; set; }

    /// <summary>
    /// The client said it is inactive (XEP-0352), or its connection is gone while the session
    /// hibernates (XEP-0198): what it is sent waits in the gateway, so a device that asked for push
    /// notifications hears of messages through its app server too.
    /// </summary>
    public bool IsInactive { get; set; }

    /// <summary>Addresses that got directed presence and must hear of unavailability (RFC 6121 §4.6.3).</summary>
    public HashSet<string>? DirectedPresence { get; set; }
}
