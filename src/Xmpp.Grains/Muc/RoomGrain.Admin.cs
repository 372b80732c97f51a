using Xmpp.Grains.Muc.State;

namespace Xmpp.Grains.Muc;

// Moderator and admin use cases (XEP-0045 §8, §9): roles (kick, voice, moderator) and
// affiliations (ban, member, admin, owner lists), with Prosody's permission rules.
public sealed partial class RoomGrain
{
    private Dictionary<string, string>? _reservedNicks;

    /// <summary>The bare JID that registered a nickname, if any (§7.10, §9.3).</summary>
    private string? RegisteredJid(string nick)
    {
        if (_reservedNicks is null)
        {
            _reservedNicks = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (jid, record) in _state.State.Affiliations)
            {
                if (record.Nick is { } reserved)
                {
                    _reservedNicks[reserved] = jid;
                }
            }
        }

        return _reservedNicks.GetValueOrDefault(nick);
    }

    private string? RegisteredNick(string bareJid) =>
        _state.State.Affiliations.TryGetValue(bareJid, out var record) ? record.Nick : null;

    /// <summary>muc#admin set: one item changes a role (by nick) or an affiliation (by JID).</summary>
    private async Task HandleAdminSetAsync(Element iq, string actor, Element query)
    {
        var item = query.FirstElement();
        if (item is null)
        {
            ReplyError(iq, StanzaError.BadRequest().WithType(StanzaError.TypeCancel));
            return;
        }

        var jid = item.GetAttribute("jid");
        if (jid is not null)
        {
            if (!Jid.TryParse(jid, out var parsed))
            {
                ReplyError(iq, StanzaError.JidMalformed());
                return;
            }

            if (parsed.IsFull)
            {
                ReplyError(iq, StanzaError.JidMalformed("Bare JID expected, got full JID"));
                return;
            }

            jid = parsed.ToString();
        }

        var nick = item.GetAttribute("nick");
        if (nick is not null)
        {
            if (!Jid.TryPrepareResourcepart(nick, out var prepared, out _))
            {
                ReplyError(iq, StanzaError.JidMalformed("invalid nickname"));
                return;
            }

            nick = prepared;
        }

        var affiliationText = item.GetAttribute("affiliation");
        var roleText = item.GetAttribute("role");
        if (jid is null && nick is not null)
        {
            // COMPAT (Prosody): some clients name the occupant by nick when changing an affiliation.
            if (_occupants.TryGetValue(OccupantJid(nick), out var named))
            {
                jid = named.BareJid;
            }
        }
        else if (roleText is not null && nick is null && jid is not null)
        {
            // A role change names the occupant by nick; given a JID, use its occupant's nick.
            nick = _occupants.Values.FirstOrDefault(o => o.BareJid == jid) is { } byJid ? byJid.Nick : null;
        }

        var reason = item.ChildText("reason", Namespaces.MucAdmin);
        StanzaError? error;
        if (affiliationText is not null && jid is not null && roleText is null)
        {
            string? reserve = null;
            if (nick is not null)
            {
                var roomNick = OccupantJid(nick);
                if (_occupants.TryGetValue(roomNick, out var existing) && existing.BareJid != jid)
                {
                    // Whoever uses a nickname being reserved for someone else must leave (Prosody).
                    SetRole(null, roomNick, Role.None, "This nickname is reserved");
                }

                reserve = nick;
            }

            error = MucNames.TryParseAffiliation(affiliationText, out var affiliation)
                ? SetAffiliationCore(actor, jid, affiliation, reason, reserve)
                : StanzaError.NotAcceptable();
        }
        else if (roleText is not null && nick is not null && affiliationText is null)
        {
            error = MucNames.TryParseRole(roleText, out var role)
                ? SetRole(actor, OccupantJid(nick), role, reason)
                : StanzaError.NotAcceptable();
        }
        else
        {
            error = StanzaError.BadRequest().WithType(StanzaError.TypeCancel);
        }

        await SaveAsync();
        if (error is not null)
        {
            ReplyError(iq, error);
        }
        else
        {
            SendResult(iq);
        }
    }

    /// <summary>
    /// muc#admin get: an affiliation list for admins and owners (no list above one's own rank; in
    /// members-only non-anonymous rooms members may read it too), a role list for moderators.
    /// </summary>
    private void HandleAdminGet(Element iq, string actor, Element query)
    {
        var item = query.FirstElement();
        var affiliationText = item?.GetAttribute("affiliation");
        var roleText = item?.GetAttribute("role");
        var actorAffiliation = GetAffiliation(actor);
        if (affiliationText is not null && roleText is null && MucNames.TryParseAffiliation(affiliationText, out var affiliation))
        {
            var allowed = (actorAffiliation >= Affiliation.Admin && actorAffiliation >= affiliation)
                || (Config.MembersOnly && WhoisAnyone && actorAffiliation >= Affiliation.Member);
            if (!allowed)
            {
                ReplyError(iq, StanzaError.Forbidden());
                return;
            }

            var list = new Element("query", Namespaces.MucAdmin);
            foreach (var (jid, record) in _state.State.Affiliations)
            {
                if (record.Affiliation != affiliation)
                {
                    continue;
                }

                var listed = list.AddChild("item", Namespaces.MucAdmin)
                    .SetAttribute("affiliation", affiliationText)
                    .SetAttribute("jid", jid)
                    .SetAttribute("nick", record.Nick);
                if (record.Reason is not null)
                {
                    listed.AddTextChild("reason", Namespaces.MucAdmin, record.Reason);
                }
            }

            SendResult(iq, list);
            return;
        }

        if (roleText is not null && affiliationText is null && MucNames.TryParseRole(roleText, out var role))
        {
            var actorRole = OccupantByRealJid(actor)?.Role ?? DefaultRole(actorAffiliation);
            if (actorRole < Role.Moderator)
            {
                ReplyError(iq, StanzaError.Forbidden());
                return;
            }

            var list = new Element("query", Namespaces.MucAdmin);
            foreach (var occupant in _occupants.Values)
            {
                if (occupant.Role == role)
                {
                    BuildAdminItems(occupant, list);
                }
            }

            SendResult(iq, list);
            return;
        }

        ReplyError(iq, StanzaError.BadRequest().WithType(StanzaError.TypeCancel));
    }

    /// <summary>The items of a role list: one per session, with nick (in the muc#admin namespace).</summary>
    private void BuildAdminItems(Occupant occupant, Element list)
    {
        var affiliation = GetAffiliation(occupant.BareJid).ToXml();
        foreach (var realJid in occupant.Sessions.Keys)
        {
            list.AddChild("item", Namespaces.MucAdmin)
                .SetAttribute("affiliation", affiliation)
                .SetAttribute("role", occupant.Role.ToXml())
                .SetAttribute("jid", realJid)
                .SetAttribute("nick", occupant.Nick);
        }
    }

    /// <summary>
    /// Changes an affiliation (XEP-0045 §9, §10.3–§10.7; Prosody's set_affiliation). The actor
    /// (null for the service itself) must outrank the target; the last owner cannot step down.
    /// Occupants of that user (or of a banned domain) get their new role and status; when none is
    /// in the room, the occupants are told with a message (§9.3 Example 120). Returns the error, or
    /// null. <paramref name="reserveNick"/> replaces the registration data; "" clears it.
    /// </summary>
    private StanzaError? SetAffiliationCore(string? actor, string jid, Affiliation affiliation, string? reason, string? reserveNick)
    {
        if (!Jid.TryParse(jid, out var parsed))
        {
            return StanzaError.NotAcceptable();
        }

        var bare = parsed.Bare.ToString();
        var isHostOnly = parsed.Local is null;
        var records = _state.State.Affiliations;
        var target = records.TryGetValue(bare, out var existing) ? existing.Affiliation : Affiliation.None;
        var isDowngrade = target > affiliation;

        if (actor is not null)
        {
            var actorAffiliation = GetAffiliation(actor);
            if (actorAffiliation == Affiliation.Owner)
            {
                if (BareOf(actor) == bare && isDowngrade
                    && !records.Any(r => r.Value.Affiliation == Affiliation.Owner && r.Key != bare))
                {
                    return StanzaError.Conflict(); // a room needs an owner
                }
            }
            else if (affiliation is Affiliation.Owner or Affiliation.Admin
                || actorAffiliation != Affiliation.Admin
                || target is Affiliation.Owner or Affiliation.Admin)
            {
                return StanzaError.NotAllowed();
            }
        }

        if (_muc.AdminsAreRoomOwners && affiliation != Affiliation.Owner && IsServiceAdmin(bare))
        {
            return StanzaError.NotAcceptable();
        }

        if (affiliation == Affiliation.None)
        {
            records.Remove(bare);
        }
        else
        {
            var record = existing ?? new AffiliationRecord();
            record.Affiliation = affiliation;
            if (reserveNick is not null)
            {
                record.Nick = reserveNick.Length == 0 ? null : reserveNick;
            }

            record.Reason = affiliation == Affiliation.Outcast ? reason : null;
            records[bare] = record;
        }

        _reservedNicks = null;

        var role = DefaultRole(affiliation);
        var updated = new List<(Occupant Occupant, Role OldRole)>();
        foreach (var stored in _occupants.Values.ToList())
        {
            if (stored.BareJid != bare && !(isHostOnly && affiliation == Affiliation.Outcast && Jid.TryParse(stored.BareJid, out var occupantJid) && occupantJid.Domain == parsed.Domain))
            {
                continue;
            }

            var occupant = stored.Copy();
            updated.Add((occupant, occupant.Role));
            if (occupant.Role != role && (isDowngrade || occupant.Role < role))
            {
                occupant.Role = role;
                SaveOccupant(occupant);
            }
        }

        var x = MucUserX();
        if (role == Role.None)
        {
            x.AddStatus(affiliation == Affiliation.Outcast ? MucStatus.Banned : MucStatus.RemovedAffiliationChange);
        }

        var semiAnonymous = !WhoisAnyone;
        if (updated.Count > 0)
        {
            foreach (var (occupant, oldRole) in updated)
            {
                PubliciseOccupantStatus(occupant, new OccupantX(x), actor: actor, reason: reason, prevRole: oldRole);
                if (occupant.Role == Role.None)
                {
                    OnOccupantLeft();
                }
                else if (semiAnonymous && (oldRole == Role.Moderator) != (occupant.Role == Role.Moderator))
                {
                    // Gaining or losing moderator changes whose real JIDs one sees: resend the others' presence.
                    foreach (var realJid in occupant.Sessions.Keys)
                    {
                        SendOccupantList(realJid, other => other is null || other.BareJid != bare);
                    }
                }
            }
        }
        else
        {
            var announceX = x.Clone();
            AddItem(announceX, affiliation, null, bare, reason: reason);
            var announcement = new Element(Stanza.Message) { From = _jid };
            announcement.Add(announceX);
            var minimum = semiAnonymous ? Role.Moderator : Role.None;
            Broadcast(announcement, occupant => occupant.Role >= minimum);
        }

        return null;
    }

    /// <summary>
    /// Changes an occupant's role (XEP-0045 §8.2–§8.5, §9.6; Prosody's set_role). Kicking is
    /// setting role none (status 307). Returns the error, or null.
    /// </summary>
    private StanzaError? SetRole(string? actor, string occupantJid, Role role, string? reason)
    {
        var occupant = OccupantByNick(occupantJid);
        if (occupant is null)
        {
            return StanzaError.ItemNotFound().WithType(StanzaError.TypeModify);
        }

        if (actor is not null && MaySetRole(actor, occupant, role) is { } refused)
        {
            return refused;
        }

        var x = MucUserX();
        if (role == Role.None)
        {
            x.AddStatus(MucStatus.Kicked);
        }

        var previous = occupant.Role;
        occupant.Role = role;
        SaveOccupant(occupant);
        PubliciseOccupantStatus(occupant, new OccupantX(x), actor: actor, reason: reason, prevRole: previous);
        if (role == Role.None)
        {
            OnOccupantLeft();
        }

        return null;
    }

    /// <summary>
    /// Prosody's may_set_role: nobody acts on a higher affiliation; granting or revoking moderator
    /// takes an admin or owner; the actor must be a moderator in the room.
    /// </summary>
    private StanzaError? MaySetRole(string actor, Occupant occupant, Role role)
    {
        var actorAffiliation = GetAffiliation(actor);
        if (actorAffiliation < GetAffiliation(occupant.BareJid))
        {
            return StanzaError.NotAllowed();
        }

        if ((occupant.Role == Role.Moderator || role == Role.Moderator) && actorAffiliation is not (Affiliation.Owner or Affiliation.Admin))
        {
            return StanzaError.NotAllowed();
        }

        return OccupantByRealJid(actor) is { Role: Role.Moderator } ? null : StanzaError.NotAllowed();
    }

    /// <summary>For the service's muc#set-affiliation command (the service acts, not a user).</summary>
    public async Task<string?> SetAffiliationAsync(string jid, string affiliation, string? reason)
    {
        try
        {
            if (!_exists)
            {
                return "item-not-found";
            }

            if (!MucNames.TryParseAffiliation(affiliation, out var parsed))
            {
                return "modify:not-acceptable";
            }

            var error = SetAffiliationCore(null, jid, parsed, reason, null);
            await SaveAsync();
            return error is null ? null : $"{error.Type}:{error.Condition}";
        }
        finally
        {
            await EndTurnDeliveredAsync();
        }
    }

    public async Task AccountRemovedAsync(string bareJid)
    {
        try
        {
            var records = _state.State.Affiliations;
            if (!_exists || !records.TryGetValue(bareJid, out var record) || record.Affiliation == Affiliation.Outcast
                || (record.Affiliation == Affiliation.Owner && !records.Any(r => r.Value.Affiliation == Affiliation.Owner && r.Key != bareJid)))
            {
                return;
            }

            if (SetAffiliationCore(null, bareJid, Affiliation.None, "Account removed", null) is null)
            {
                await SaveAsync();
            }
        }
        finally
        {
            await EndTurnPacedAsync();
        }
    }
}
