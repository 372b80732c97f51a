using Xmpp.Grains.Archive;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.Muc;

// Messages (XEP-0045 §7.4 groupchat, §7.5 private messages, §8.1 subject changes, §8.6 voice
// requests), as Prosody's muc.lib, subject.lib and request.lib handle them.
public sealed partial class RoomGrain
{
    private async Task HandleMessageToRoomAsync(Element message, Jid from)
    {
        var realJid = from.ToString();
        switch (message.Type)
        {
            case "groupchat":
                await HandleGroupchatAsync(message, realJid);
                return;
            case "error":
                if (IsKickableError(message))
                {
                    HandleKickable(message, realJid);
                }

                return;
            case null or "normal":
                if (message.Child("x", Namespaces.MucUser) is { } x)
                {
                    var payload = x.FirstElement();
                    if (payload is not null && payload.Is("invite", Namespaces.MucUser) && payload.GetAttribute("to") is not null)
                    {
                        await HandleMediatedInviteAsync(message, realJid, payload);
                    }
                    else if (payload is not null && payload.Is("decline", Namespaces.MucUser) && payload.GetAttribute("to") is not null)
                    {
                        HandleMediatedDecline(message, realJid, payload);
                    }
                    else
                    {
                        ReplyError(message, StanzaError.BadRequest().WithType(StanzaError.TypeCancel));
                    }

                    return;
                }

                if (message.Child("x", Namespaces.DataForms) is { } form && DataForm.Parse(form) is { FormType: Namespaces.MucRequest } request)
                {
                    HandleRoleRequest(message, realJid, request);
                    return;
                }

                break;
        }

        Unhandled(message);
    }

    /// <summary>
    /// §7.4: a message from an occupant with voice goes to every occupant, the sender included; a
    /// message with a subject but no body or thread changes the subject (§8.1, Prosody's choice).
    /// </summary>
    private async Task HandleGroupchatAsync(Element message, string realJid)
    {
        Occupant? occupant = _jidNick.TryGetValue(realJid, out var nick) && _occupants.TryGetValue(nick, out var found) ? found : null;
        var role = occupant?.Role ?? Role.None;
        if (role == Role.None)
        {
            ReplyError(message, MucErrors.NotConnected());
            return;
        }

        if (role == Role.Visitor)
        {
            ReplyError(message, StanzaError.Forbidden("You do not currently have permission to speak in this chat"));
            return;
        }

        if (message.Child("subject", Namespaces.Client) is { } subject
            && message.Child("body", Namespaces.Client) is null
            && message.Child("thread", Namespaces.Client) is null)
        {
            if (role >= Role.Moderator || (role >= Role.Participant && Config.ChangeSubject))
            {
                await SetSubjectAsync(occupant!.Jid, subject.Text);
            }
            else
            {
                ReplyError(message, StanzaError.Forbidden("You are not allowed to change the subject"));
            }

            return;
        }

        // One copy for all recipients (children shared): the sender's stanza is left as it came.
        var broadcast = message.CloneWithoutNodes();
        foreach (var node in message.Nodes)
        {
            if (node is not Element child || !(IsRoomDelay(child) || child.Namespace == Namespaces.OccupantId || IsForgedRoomStanzaId(child)))
            {
                broadcast.Add(node);
            }
        }

        if (occupant!.OccupantId is { } occupantId)
        {
            broadcast.Add(occupantId);
        }

        broadcast.Id ??= NewId();
        broadcast.From = occupant.Jid;
        broadcast.To = null;
        BroadcastMessage(await ArchiveGroupchatAsync(broadcast, occupant));
    }

    /// <summary>A delay the room would have added (Prosody strips those claiming to be from the room).</summary>
    private bool IsRoomDelay(Element child) =>
        (child.Is("delay", Namespaces.Delay) || child.Is("x", Namespaces.LegacyDelay)) && child.GetAttribute("from") == _jid;

    /// <summary>A message from the room (or from an occupant, 'to' unset) to everyone, kept in history if it is historic.</summary>
    private void BroadcastMessage(Element message)
    {
        if (ArchivableMessages.IsWorthKeeping(message))
        {
            AddToHistory(message);
        }

        Broadcast(message);
    }

    /// <summary>§7.5: a private message to another occupant, from the sender's occupant JID.</summary>
    private void HandleMessageToOccupant(Element message, Jid from)
    {
        var realJid = from.ToString();
        if (!_jidNick.TryGetValue(realJid, out var senderJid))
        {
            if (message.Type != "error")
            {
                ReplyError(message, MucErrors.NotConnected(), _jid);
            }

            return;
        }

        if (message.Type == "groupchat")
        {
            ReplyError(message, StanzaError.BadRequest(), _jid);
            return;
        }

        if (message.Type == "error" && IsKickableError(message))
        {
            HandleKickable(message, realJid);
            return;
        }

        if (!_occupants.TryGetValue(message.To!, out var recipient))
        {
            ReplyError(message, StanzaError.ItemNotFound("Recipient not in room"), _jid);
            return;
        }

        var sender = _occupants[senderJid];
        if (message.Type != "error" && !MaySendPrivateMessage(sender))
        {
            ReplyError(message, StanzaError.Forbidden("Private messages are not allowed in this room"), _jid);
            return;
        }

        var forwarded = message.CloneWithoutNodes();
        foreach (var node in message.Nodes)
        {
            if (node is not Element child || !Occupant.IsFilteredPayload(child))
            {
                forwarded.Add(node);
            }
        }

        forwarded.AddChild("x", Namespaces.MucUser);
        if (sender.OccupantId is { } occupantId)
        {
            forwarded.Add(occupantId);
        }

        forwarded.From = senderJid;
        RouteToOccupant(recipient, forwarded);
    }

    /// <summary>The room's muc#roomconfig_allowpm setting.</summary>
    private bool MaySendPrivateMessage(Occupant sender) => Config.AllowPrivateMessages switch
    {
        "none" => false,
        "moderators" => sender.Role >= Role.Moderator,
        "participants" => sender.Role >= Role.Participant,
        _ => true,
    };

    /// <summary>
    /// §8.6 voice requests: a visitor's request goes to the moderators as a muc#request form; a
    /// moderator's approved form grants the visitor voice.
    /// </summary>
    private void HandleRoleRequest(Element message, string realJid, DataForm form)
    {
        var occupant = OccupantByRealJid(realJid);
        if (occupant is null)
        {
            return;
        }

        if (occupant.Role == Role.Moderator)
        {
            if (form["muc#request_allow"]?.BooleanValue != true
                || form["muc#jid"]?.Value is not { } jid
                || OccupantByRealJid(jid) is not { Role: Role.Visitor } visitor)
            {
                return;
            }

            if (SetRole(realJid, visitor.Jid, Role.Participant, "Voice granted") is { } error)
            {
                ReplyError(message, error);
            }

            return;
        }

        if (occupant.Role != Role.Visitor)
        {
            return;
        }

        var request = new DataForm { Title = "Voice Request" }.WithFormType(Namespaces.MucRequest);
        request.Add(new DataFormField("muc#jid", DataFormField.JidSingle) { Label = "User ID", Description = "The user's JID (address)" }).WithValue(realJid);
        request.Add(new DataFormField("muc#roomnick") { Label = "Room nickname", Description = "The user's nickname within the room" }).WithValue(occupant.Nick);
        var role = request.Add(new DataFormField("muc#role", DataFormField.ListSingle) { Label = "Requested role" }).WithValue("participant");
        foreach (var option in new[] { "none", "visitor", "participant", "moderator" })
        {
            role.Options.Add(new DataFormOption(option, option));
        }

        request.Add(new DataFormField("muc#request_allow", DataFormField.Boolean)
        {
            Label = "Grant voice to this person?",
            Description = "Specify whether this person is able to speak in a moderated room",
        }).WithValue(false);
        var notice = new Element(Stanza.Message) { Type = "normal", From = _jid };
        notice.Add(request.ToElement());
        Broadcast(notice, moderator => moderator.Role == Role.Moderator);
    }
}
