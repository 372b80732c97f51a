namespace Xmpp.Grains.Muc;

// Invitations through the room and their declines (XEP-0045 §7.8.2), as Prosody's muc.lib,
// members_only.lib, password.lib and whois.lib handle them.
public sealed partial class RoomGrain
{
    /// <summary>
    /// §7.8.2: an invitation through the room. The room sends it on from itself, with the inviter
    /// (as occupant JID in semi-anonymous rooms), the password, a jabber:x:conference payload and a
    /// body for clients without MUC support; in a members-only room the invitee becomes a member.
    /// </summary>
    private async Task HandleMediatedInviteAsync(Element message, string realJid, Element payload)
    {
        if (!Jid.TryParse(payload.GetAttribute("to"), out var invitee))
        {
            ReplyError(message, StanzaError.JidMalformed().WithType(StanzaError.TypeCancel));
            return;
        }

        var inviter = OccupantByRealJid(realJid);
        var inviterRole = inviter?.Role ?? DefaultRole(GetAffiliation(realJid));
        if (inviterRole <= Role.Visitor)
        {
            ReplyError(message, StanzaError.Forbidden());
            return;
        }

        if (Config.MembersOnly)
        {
            var required = Config.AllowMemberInvites ? Affiliation.Member : Affiliation.Admin;
            if (GetAffiliation(realJid) < required)
            {
                ReplyError(message, StanzaError.Forbidden(), _jid);
                return;
            }
        }

        var inviteeJid = invitee.ToString();
        var reason = payload.ChildText("reason", Namespaces.MucUser);
        var inviteFrom = realJid;
        if (!WhoisAnyone && DefaultRole(GetAffiliation(inviteeJid)) != Role.Moderator && _jidNick.TryGetValue(realJid, out var inviterOccupantJid))
        {
            inviteFrom = inviterOccupantJid; // the invitee may not learn the inviter's real JID
        }

        var invite = WithoutMucPayloads(message);
        invite.From = _jid;
        invite.To = inviteeJid;
        var x = invite.AddChild("x", Namespaces.MucUser);
        var inviteElement = x.AddChild("invite", Namespaces.MucUser).SetAttribute("from", inviteFrom);
        var reasonElement = inviteElement.AddChild("reason", Namespaces.MucUser);
        if (!string.IsNullOrEmpty(reason))
        {
            reasonElement.AddText(reason);
        }

        invite.AddChild("x", Namespaces.Conference).SetAttribute("jid", _jid).AddText(reason ?? string.Empty);
        if (invite.Child("body", Namespaces.Client) is null)
        {
            invite.AddTextChild(
                "body",
                Namespaces.Client,
                $"{inviteFrom} invited you to the room {_jid}{(string.IsNullOrEmpty(reason) ? string.Empty : $" ({reason})")}");
        }

        if (Config.Password is { } password)
        {
            x.AddTextChild("password", Namespaces.MucUser, password);
        }

        if (Config.MembersOnly && GetAffiliation(inviteeJid) <= Affiliation.None)
        {
            // The invitation is what lets the invitee in (Prosody's members_only.lib).
            SetAffiliationCore(null, inviteeJid, Affiliation.Member, "Invited by " + inviteFrom, null);
            await SaveIfPersistentAsync();
        }

        Send(invite);
    }

    /// <summary>§7.8.2: a declined invitation goes back to the inviter, from the room.</summary>
    private void HandleMediatedDecline(Element message, string realJid, Element payload)
    {
        if (!Jid.TryParse(payload.GetAttribute("to"), out var declinee))
        {
            ReplyError(message, StanzaError.JidMalformed().WithType(StanzaError.TypeCancel));
            return;
        }

        var reason = payload.ChildText("reason", Namespaces.MucUser);
        var decline = WithoutMucPayloads(message);
        decline.From = _jid;
        decline.To = declinee.ToString();
        var reasonElement = decline.AddChild("x", Namespaces.MucUser)
            .AddChild("decline", Namespaces.MucUser).SetAttribute("from", realJid)
            .AddChild("reason", Namespaces.MucUser);
        if (!string.IsNullOrEmpty(reason))
        {
            reasonElement.AddText(reason);
        }

        if (decline.Child("body", Namespaces.Client) is null)
        {
            decline.AddTextChild(
                "body",
                Namespaces.Client,
                $"{realJid} declined your invite to the room {_jid}{(string.IsNullOrEmpty(reason) ? string.Empty : $" ({reason})")}");
        }

        if (declinee.Bare.ToString() == _jid && _occupants.TryGetValue(declinee.ToString(), out var occupant))
        {
            RouteToOccupant(occupant, decline);
        }
        else
        {
            Send(decline);
        }
    }

    private static Element WithoutMucPayloads(Element message)
    {
        var copy = message.CloneWithoutNodes();
        foreach (var node in message.Nodes)
        {
            if (node is not Element child || (child.Namespace != Namespaces.Muc && child.Namespace != Namespaces.MucUser))
            {
                copy.Add(node.Clone());
            }
        }

        return copy;
    }
}
