using Xmpp.Grains.Muc.State;

namespace Xmpp.Grains.Muc;

// Entering, changing nickname and leaving (XEP-0045 §7.2–§7.6, §7.14), room creation (§10.1),
// following Prosody's handle_first_presence and handle_normal_presence, multi-session included.
public sealed partial class RoomGrain
{
    /// <summary>The presence that creates the room (XEP-0045 §10.1): the creator becomes its owner.</summary>
    private async Task HandleFirstPresenceAsync(Element stanza, Jid from, Jid to)
    {
        var realJid = from.ToString();
        if (!MayCreateRoom(from))
        {
            ReplyError(stanza, StanzaError.NotAllowed("Room creation is restricted"), _host);
            return;
        }

        InitialiseNewRoom(stanza, from);
        var occupant = NewOccupant(from.Bare.ToString(), to.ToString());
        if (!MayEnter(stanza, realJid, occupant, isNewRoom: true))
        {
            _state.State = new RoomState(); // the room was never there
            return;
        }

        _exists = true;
        occupant.SetSession(realJid, stanza);
        var x = MucUserX().AddStatus(MucStatus.RoomCreated);
        if (WhoisAnyone)
        {
            x.AddStatus(MucStatus.NonAnonymous);
        }

        SaveOccupant(occupant);
        PubliciseOccupantStatus(occupant, new OccupantX(x));
        OnSessionJoined(stanza, realJid);
        await SaveAsync();
    }

    /// <summary>Prosody's restrict_room_creation: anyone, local users, or service admins only.</summary>
    private bool MayCreateRoom(Jid creator) => _muc.RoomCreation switch
    {
        "admin" => IsServiceAdmin(creator.ToString()),
        "local" => IsServiceAdmin(creator.ToString()) || creator.Domain == _options.Domain,
        _ => true,
    };

    /// <summary>A new room: defaults, the creator as owner, locked until configured (§10.1.2).</summary>
    private void InitialiseNewRoom(Element stanza, Jid creator)
    {
        var defaults = _muc.RoomDefaults;
        var state = new RoomState
        {
            Config = new RoomConfig
            {
                Public = defaults.Public,
                Persistent = defaults.Persistent,
                MembersOnly = defaults.MembersOnly,
                AllowMemberInvites = defaults.AllowMemberInvites,
                Moderated = defaults.Moderated,
                Whois = defaults.PublicJids ? RoomConfig.WhoisAnyone : RoomConfig.WhoisModerators,
                ChangeSubject = defaults.ChangeSubject,
                HistoryLength = defaults.HistoryLength == MucRoomDefaults.DefaultHistoryLength ? null : defaults.HistoryLength,
                Language = stanza.Lang ?? defaults.Language,
            },
        };
        _state.State = state;
        if (_muc.LockNewRooms)
        {
            state.LockedUntil = Now + _muc.RoomLockTimeout;
        }

        // Prosody's password.lib: the creator's password (if any) protects the new room.
        var password = stanza.Child("x", Namespaces.Muc)?.ChildText("password", Namespaces.Muc);
        state.Config.Password = string.IsNullOrEmpty(password) ? null : password;
        state.Affiliations[creator.Bare.ToString()] = new AffiliationRecord { Affiliation = Affiliation.Owner };
        _history.Clear();
        _historyDirty = false;
    }

    private bool IsLocked
    {
        get
        {
            if (_state.State.LockedUntil is not { } until)
            {
                return false;
            }

            if (Now < until)
            {
                return true;
            }

            _state.State.LockedUntil = null;
            return false;
        }
    }

    private Task HandlePresenceToOccupantAsync(Element stanza, Jid from) => stanza.Type switch
    {
        // An error from an occupant's client: it is gone (Prosody kicks it, status 333).
        "error" => Task.FromResult(HandleKickable(stanza, from.ToString())),
        null or "unavailable" or "probe" => HandleNormalPresenceAsync(stanza, from),

        // COMPAT (Prosody): XEP-0018 presences some servers broadcast are ignored.
        "visible" or "invisible" or "result" => Task.CompletedTask,
        _ => ReplyBadPresence(stanza),
    };

    private Task ReplyBadPresence(Element stanza)
    {
        ReplyError(stanza, StanzaError.BadRequest(), _jid);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Presence to the bare room JID: some clients send their updates there; for an occupant it
    /// stands for its current nickname, anyone else is not answered by the room.
    /// </summary>
    private async Task HandlePresenceToRoomAsync(Element stanza, Jid from)
    {
        if (!_jidNick.TryGetValue(from.ToString(), out var nick))
        {
            Unhandled(stanza); // Prosody's answer, also to a join without a nickname
            return;
        }

        var original = stanza.To;
        stanza.To = nick;
        try
        {
            await HandlePresenceToOccupantAsync(stanza, from);
        }
        finally
        {
            stanza.To = original;
        }
    }

    /// <summary>Prosody's handle_normal_presence: join, presence update, nickname change, leave, probe.</summary>
    private Task HandleNormalPresenceAsync(Element stanza, Jid from)
    {
        HandleNormalPresence(stanza, from);
        return Task.CompletedTask;
    }

    private void HandleNormalPresence(Element stanza, Jid from)
    {
        var type = stanza.Type;
        var realJid = from.ToString();
        var bareJid = from.Bare.ToString();
        var destJid = stanza.To!;
        var original = OccupantByRealJid(realJid);
        var mucX = stanza.Child("x", Namespaces.Muc);

        if (original is null && mucX is null && type is null)
        {
            // A presence update from someone the room does not know: out of sync (XEP-0410 §3).
            ReplyError(stanza, StanzaError.ItemNotFound("You are not currently connected to this chat"), _jid);
            return;
        }

        var isFirstDestSession = false;
        Occupant? dest;
        if (type == "unavailable")
        {
            if (original is null)
            {
                return;
            }

            dest = null;
        }
        else if (type == "probe")
        {
            RespondToProbe(stanza, realJid, original);
            return;
        }
        else if (original is not null && original.Jid == destJid)
        {
            dest = original; // a presence update
        }
        else
        {
            dest = OccupantByNick(destJid);
            if (dest is null)
            {
                isFirstDestSession = true;
                dest = NewOccupant(bareJid, destJid);
                if (original is not null)
                {
                    dest.Role = original.Role; // a nickname change keeps the role (Prosody #1466)
                }
            }
        }

        var isLastOriginalSession = original is not null && original.Sessions.Count < 2;

        if (original is null)
        {
            if (!MayEnter(stanza, realJid, dest!, isNewRoom: false))
            {
                return;
            }
        }
        else if (dest is not null && !MayChangeTo(stanza, realJid, dest))
        {
            return;
        }

        // XEP-0045 §7.2.9: the nickname is taken by someone else.
        if (dest is not null && !isFirstDestSession && bareJid != dest.BareJid)
        {
            ReplyJoinError(stanza, StanzaError.Conflict(), _jid);
            return;
        }

        if (original is not null && !ReferenceEquals(original, dest))
        {
            LeaveOrRename(stanza, realJid, bareJid, original, dest, isFirstDestSession, isLastOriginalSession);
        }

        if (dest is null)
        {
            return;
        }

        dest.SetSession(realJid, stanza);
        SaveOccupant(dest);
        var joined = original is null || mucX is not null;
        if (joined)
        {
            // The occupant list for a newly joined (or resynchronising) session, without itself.
            SendOccupantList(realJid, occupant => occupant is null || !occupant.HasSession(realJid));
        }

        var selfX = MucUserX();
        if (original is null && WhoisAnyone)
        {
            selfX.AddStatus(MucStatus.NonAnonymous);
        }

        PubliciseOccupantStatus(dest, new OccupantX(MucUserX()) { Self = selfX }, prevRole: original?.Role);

        if (original is not null && !ReferenceEquals(original, dest) && !isLastOriginalSession)
        {
            // The session left a nickname that other sessions still use: show it that nickname again.
            if (_occupants.TryGetValue(original.Jid, out var remaining) && remaining.GetPresence() is { } presence)
            {
                var again = Stanza.Envelope(presence, realJid);
                var x = MucUserX();
                BuildItemList(remaining, x, anonymous: false);
                again.Add(x);
                Send(again);
            }
        }

        if (joined)
        {
            OnSessionJoined(stanza, realJid);
        }
    }

    /// <summary>The original occupant loses this session: it leaves, or it moves to another nickname.</summary>
    private void LeaveOrRename(Element stanza, string realJid, string bareJid, Occupant original, Occupant? dest, bool isFirstDestSession, bool isLastOriginalSession)
    {
        var originalX = MucUserX();
        var originalRole = original.Role;
        string? destNick = null;
        if (dest is null)
        {
            if (isLastOriginalSession)
            {
                original.Role = Role.None;
            }

            original.SetSession(realJid, stanza);
        }
        else
        {
            var generatedUnavailable = new Element(Stanza.Presence) { From = original.Jid, To = realJid, Type = "unavailable" };
            original.SetSession(realJid, generatedUnavailable);
            destNick = dest.Nick;
            if (!isFirstDestSession)
            {
                // Joining a nickname another session of the same user already has: that one "leaves" for this session.
                var x = MucUserX();
                AddItem(x, GetAffiliation(bareJid), Role.None);
                var left = new Element(Stanza.Presence) { From = dest.Jid, To = realJid, Type = "unavailable" };
                left.AddTextChild("status", Namespaces.Client, "you are joining pre-existing session " + destNick);
                left.Add(x);
                Send(left);
            }

            if (isFirstDestSession && isLastOriginalSession)
            {
                originalX.AddStatus(MucStatus.NicknameChanged); // §7.6: a plain nickname change
            }
            else
            {
                // Other sessions keep the old nickname: only this session sees itself leave it.
                original.RemoveSession(realJid);
                var x = MucUserX();
                AddItem(x, GetAffiliation(bareJid), original.Role, realJid, destNick);
                x.AddStatus(MucStatus.NicknameChanged).AddStatus(MucStatus.SelfPresence);
                generatedUnavailable.Add(x);
                Send(generatedUnavailable);
                destNick = null;
            }
        }

        SaveOccupant(original);
        PubliciseOccupantStatus(original, new OccupantX(originalX), destNick, prevRole: originalRole);
        if (isLastOriginalSession)
        {
            OnOccupantLeft();
        }
    }

    /// <summary>
    /// The checks before someone enters (Prosody's muc-occupant-pre-join, in its order): nickname
    /// validity, reserved nicknames, members-only, bans, password, lock. Replies and returns false on refusal.
    /// </summary>
    private bool MayEnter(Element stanza, string realJid, Occupant occupant, bool isNewRoom)
    {
        if (!MayUseNick(stanza, realJid, occupant.Nick))
        {
            return false;
        }

        var affiliation = GetAffiliation(realJid);
        if (Config.MembersOnly && affiliation <= Affiliation.None)
        {
            ReplyJoinError(stanza, StanzaError.RegistrationRequired(), _jid); // §7.2.7
            return false;
        }

        if (affiliation == Affiliation.Outcast)
        {
            ReplyJoinError(stanza, StanzaError.Forbidden(), _jid); // §7.2.8
            return false;
        }

        if (Config.Password is { } password && stanza.Child("x", Namespaces.Muc) is { } x)
        {
            var given = x.ChildText("password", Namespaces.Muc);
            if (given != password)
            {
                ReplyJoinError(stanza, StanzaError.NotAuthorized(), _jid); // §7.2.6
                return false;
            }
        }

        if (!isNewRoom && IsLocked)
        {
            ReplyJoinError(stanza, StanzaError.ItemNotFound(), _host); // §7.2.10 (room not yet configured)
            return false;
        }

        return true;
    }

    /// <summary>The checks before a session changes nickname or updates its presence (muc-occupant-pre-change).</summary>
    private bool MayChangeTo(Element stanza, string realJid, Occupant dest) => MayUseNick(stanza, realJid, dest.Nick);

    /// <summary>
    /// Strict resourceprep (<see cref="MucNickname.TryPrepareStrict"/>), no invisible nicknames,
    /// and nobody else's reserved nickname (XEP-0045 §7.2.9, §7.10).
    /// </summary>
    private bool MayUseNick(Element stanza, string realJid, string nick)
    {
        if (!MucNickname.TryPrepareStrict(nick, out _))
        {
            ReplyJoinError(stanza, StanzaError.JidMalformed("Nickname must pass strict validation"), _jid);
            return false;
        }

        if (string.IsNullOrWhiteSpace(nick))
        {
            ReplyJoinError(stanza, MucErrors.InvisibleNick(), _jid);
            return false;
        }

        if (RegisteredJid(nick) is { } reservedBy && reservedBy != BareOf(realJid))
        {
            ReplyJoinError(stanza, StanzaError.Conflict(), _jid);
            return false;
        }

        return true;
    }

    /// <summary>What a session gets once it is in: the discussion history, then the subject (§7.2.15, §7.2.16).</summary>
    private void OnSessionJoined(Element stanza, string realJid)
    {
        SendHistory(stanza, realJid);
        SendSubject(realJid);
    }

    /// <summary>Someone left: an empty temporary room disappears (XEP-0045 §10.1, Prosody's muc-occupant-left).</summary>
    private void OnOccupantLeft()
    {
        if (_destroying || _occupants.Count > 0 || Config.Persistent)
        {
            return;
        }

        ForgetRoom();
    }

    /// <summary>
    /// Prosody's handle_kickable: a session whose client answers with an error is removed, with the
    /// error as its status text (the text only where real JIDs are public) and status 333.
    /// </summary>
    private bool HandleKickable(Element stanza, string realJid)
    {
        var occupant = OccupantByRealJid(realJid);
        if (occupant is null)
        {
            return false;
        }

        var (condition, text) = MucXml.ReadError(stanza);
        var message = "Kicked: " + (condition is null ? "presence error" : condition.Replace('-', ' '));
        if (text is not null && WhoisAnyone)
        {
            message += ": " + text;
        }

        var unavailable = new Element(Stanza.Presence) { Type = "unavailable" };
        unavailable.AddTextChild("status", Namespaces.Client, message);
        occupant.SetSession(realJid, unavailable);
        var originalRole = occupant.Role;
        var isLastSession = occupant.PrimaryJid == realJid;
        if (isLastSession)
        {
            occupant.Role = Role.None;
        }

        var saved = SaveOccupant(occupant);
        var x = MucUserX();
        if (isLastSession)
        {
            x.AddStatus(MucStatus.RemovedError);
        }

        PubliciseOccupantStatus(saved ?? occupant, new OccupantX(x), prevRole: originalRole);
        if (isLastSession)
        {
            OnOccupantLeft();
        }

        return true;
    }

    /// <summary>
    /// Errors that mean the recipient is gone (Prosody's is_kickable_error): a message error with one
    /// of these removes the occupant; other errors are passed on.
    /// </summary>
    private static bool IsKickableError(Element stanza)
    {
        var condition = MucXml.ReadError(stanza).Condition;
        return condition is null or "gone" or "internal-server-error" or "item-not-found" or "jid-malformed"
            or "recipient-unavailable" or "redirect" or "remote-server-not-found" or "remote-server-timeout"
            or "service-unavailable";
    }
}
