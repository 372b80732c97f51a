namespace Xmpp.Grains.Muc;

// Occupant presence as others see it (XEP-0045 §7.2.3–§7.2.5, §15.6): which presence goes to
// whom, with real JIDs where the room's whois allows, as Prosody's publicise_occupant_status.
public sealed partial class RoomGrain
{
    private static readonly string[] DefaultBroadcastRoles = ["visitor", "participant", "moderator"];

    private static Element MucUserX() => new("x", Namespaces.MucUser);

    /// <summary>Whether presence of occupants with this role is broadcast (Prosody's presence_broadcast).</summary>
    private bool IsBroadcast(Role role) => (Config.PresenceBroadcast ?? (IList<string>)DefaultBroadcastRoles).Contains(role.ToXml());

    /// <summary>Appends <c>&lt;item/&gt;</c> with its actor and reason (Prosody's add_item).</summary>
    private static void AddItem(
        Element x,
        Affiliation affiliation,
        Role? role,
        string? jid = null,
        string? nick = null,
        string? actorNick = null,
        string? actorJid = null,
        string? reason = null)
    {
        var item = x.AddChild("item", Namespaces.MucUser)
            .SetAttribute("affiliation", affiliation.ToXml())
            .SetAttribute("role", role?.ToXml())
            .SetAttribute("jid", jid)
            .SetAttribute("nick", nick);
        if (actorNick is not null || actorJid is not null)
        {
            item.AddChild("actor", Namespaces.MucUser).SetAttribute("nick", actorNick).SetAttribute("jid", actorJid);
        }

        if (reason is not null)
        {
            item.AddTextChild("reason", Namespaces.MucUser, reason);
        }
    }

    /// <summary>The occupant's items: one without JID when anonymous, else one per session's real JID.</summary>
    private void BuildItemList(
        Occupant occupant,
        Element x,
        bool anonymous,
        string? nick = null,
        string? actorNick = null,
        string? actorJid = null,
        string? reason = null)
    {
        var affiliation = GetAffiliation(occupant.BareJid);
        if (anonymous)
        {
            AddItem(x, affiliation, occupant.Role, null, nick, actorNick, actorJid, reason);
            return;
        }

        foreach (var realJid in occupant.Sessions.Keys)
        {
            AddItem(x, affiliation, occupant.Role, realJid, nick, actorNick, actorJid, reason);
        }
    }

    /// <summary>
    /// Tells the room about an occupant's status (Prosody's publicise_occupant_status): the others
    /// according to the broadcast roles and what they may see, and the occupant's own sessions
    /// with status 110. With <paramref name="recipient"/>, only that occupant (a probe's answer).
    /// </summary>
    /// <param name="nick">The new nickname, for the 303 of a nickname change.</param>
    /// <param name="actor">The real JID of whoever caused the change (kick, ban, affiliation change).</param>
    /// <param name="prevRole">The role before the change; a change to a role whose presence is not
    /// broadcast still reaches those who saw the old one, as unavailable.</param>
    /// <param name="forceUnavailable">Send unavailable presence to all (presence broadcast turned off for the role).</param>
    private void PubliciseOccupantStatus(
        Occupant occupant,
        OccupantX x,
        string? nick = null,
        string? actor = null,
        string? reason = null,
        Role? prevRole = null,
        bool forceUnavailable = false,
        Occupant? recipient = null)
    {
        Element basePresence;
        var primary = occupant.GetPresence();
        if (primary is not null && (occupant.Role != Role.None || primary.Type == "unavailable") && !forceUnavailable)
        {
            basePresence = primary;
        }
        else
        {
            // Leaving without having said so (kick, ban, destruction): a presence made for them.
            basePresence = new Element(Stanza.Presence) { From = occupant.Jid, Type = "unavailable" };
            if (occupant.OccupantId is not null)
            {
                basePresence.Add(occupant.OccupantId);
            }
        }

        var actorNick = actor is not null && _jidNick.TryGetValue(actor, out var actorOccupant) ? ResourceOf(actorOccupant) : null;

        Element? full = null;
        Element FullPresence()
        {
            if (full is null)
            {
                var fullX = (x.Full ?? x.Base).Clone();
                BuildItemList(occupant, fullX, anonymous: false, nick, actorNick, actor, reason);
                full = Stanza.Envelope(basePresence, null).Add(fullX);
            }

            return full;
        }

        Element? anonymous = null;
        Element AnonymousPresence()
        {
            if (anonymous is null)
            {
                var anonymousX = (x.Anonymous ?? x.Base).Clone();
                BuildItemList(occupant, anonymousX, anonymous: true, nick, actorNick, null, reason);
                anonymous = Stanza.Envelope(basePresence, null).Add(anonymousX);
            }

            return anonymous;
        }

        // One's own real JIDs are always visible, an actor's real JID is not.
        var selfX = (x.Self ?? x.Base).Clone();
        BuildItemList(occupant, selfX, anonymous: false, nick, actorNick, null, reason);
        var self = Stanza.Envelope(basePresence, null).Add(selfX);

        Element PresenceFor(Occupant other) =>
            CanSeeRealJids(other) ? FullPresence()
            : other.BareJid == occupant.BareJid ? self
            : AnonymousPresence();

        if (recipient is not null)
        {
            RouteToOccupant(recipient, PresenceFor(recipient));
            return;
        }

        var broadcast = IsBroadcast(occupant.Role) || forceUnavailable;
        var unavailableOnly = !broadcast && prevRole is { } previous && previous != Role.None && IsBroadcast(previous);
        if (broadcast || unavailableOnly)
        {
            foreach (var other in _occupants.Values)
            {
                if (other.Jid == occupant.Jid)
                {
                    continue;
                }

                var presence = PresenceFor(other);
                if (unavailableOnly && presence.Type != "unavailable")
                {
                    presence = Stanza.Envelope(presence, null);
                    presence.Type = "unavailable";
                }

                RouteToOccupant(other, presence);
            }
        }

        // The occupant's own sessions: status 110.
        var ownX = selfX.Clone().AddStatus(MucStatus.SelfPresence);
        if (occupant.Role == Role.None)
        {
            RouteToOccupant(occupant, Stanza.Envelope(basePresence, null).Add(ownX));
            return;
        }

        foreach (var (realJid, presence) in occupant.Sessions)
        {
            Send(Stanza.Envelope(presence, realJid).Add(ownX));
        }
    }

    /// <summary>
    /// The presence of everyone in the room for a (re)joining session (XEP-0045 §7.2.3), and, when
    /// presence of role "none" is broadcast, that of affiliated users who are not in the room.
    /// </summary>
    private void SendOccupantList(string to, Func<Occupant?, bool>? filter = null)
    {
        var toBare = BareOf(to);
        var isAnonymous = IsAnonymousFor(to);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var occupant in _occupants.Values)
        {
            present.Add(occupant.BareJid);
            if (filter is not null && !filter(occupant))
            {
                continue;
            }

            if (toBare != occupant.BareJid && !IsBroadcast(occupant.Role))
            {
                continue;
            }

            var x = MucUserX();
            BuildItemList(occupant, x, isAnonymous && toBare != occupant.BareJid);
            Send(Stanza.Envelope(occupant.GetPresence()!, to).Add(x));
        }

        if (!IsBroadcast(Role.None))
        {
            return;
        }

        foreach (var (jid, record) in _state.State.Affiliations)
        {
            var nick = record.Nick;
            if ((nick is not null || !isAnonymous) && !present.Contains(jid) && (filter is null || filter(null)))
            {
                var x = MucUserX();
                AddItem(x, record.Affiliation, Role.None, isAnonymous ? null : jid, nick);
                var presence = new Element(Stanza.Presence)
                {
                    To = to,
                    From = nick is null ? _jid : OccupantJid(nick),
                    Type = "unavailable",
                };
                Send(presence.Add(x));
            }
        }
    }

    /// <summary>
    /// A presence probe to an occupant JID (Prosody #1535): answered with the occupant's presence,
    /// or for a reserved nickname not in the room with unavailable presence; refused to non-occupants.
    /// </summary>
    private void RespondToProbe(Element stanza, string realJid, Occupant? probing)
    {
        if (probing is null)
        {
            ReplyError(stanza, MucErrors.NotConnected(), _jid);
            return;
        }

        var probedJid = stanza.To!;
        if (OccupantByNick(probedJid) is { } probed)
        {
            PubliciseOccupantStatus(probed, new OccupantX(MucUserX()), recipient: probing);
            return;
        }

        var nick = ResourceOf(probedJid);
        if (nick is null || RegisteredJid(nick) is not { } registered)
        {
            return; // nobody by that nickname, present or registered
        }

        var x = MucUserX();
        AddItem(x, GetAffiliation(registered), Role.None, IsAnonymousFor(realJid) ? null : registered, nick);
        var presence = new Element(Stanza.Presence) { To = realJid, From = probedJid, Type = "unavailable" };
        Send(presence.Add(x));
    }
}
