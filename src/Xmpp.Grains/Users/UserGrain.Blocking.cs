namespace Xmpp.Grains.Users;

// XEP-0191 Blocking Command, enforced here in both directions, as Prosody's mod_blocklist.
public sealed partial class UserGrain
{
    /// <summary>§3.3 (and Prosody): a blocked item matches the exact JID, its bare JID or its domain.</summary>
    private bool IsBlocked(Jid jid)
    {
        var blocked = _blocklist.State.Blocked;
        if (blocked.Count == 0)
        {
            return false;
        }

        return blocked.Contains(jid.ToString())
            || (jid.IsFull && blocked.Contains(jid.Bare.ToString()))
            || (jid.Local is not null && blocked.Contains(jid.Domain));
    }

    /// <summary>
    /// §3.4: stanzas from a blocked JID are not delivered. Requests and chat messages get
    /// service-unavailable, as if the user did not exist; everything else is dropped silently.
    /// </summary>
    private void RefuseFromBlocked(Element stanza, Jid to)
    {
        var answer = stanza.Name switch
        {
            Stanza.Iq => Stanza.IsIqRequest(stanza),
            Stanza.Message => stanza.Type is null or "normal" or "chat" && !(to.IsFull && SessionOf(to) is not null),
            _ => false,
        };
        if (answer)
        {
            throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }
    }

    private Element HandleBlocklistGet(UserSession session, Element iq)
    {
        session.WantsBlocklistPushes = true;
        var list = new Element("blocklist", Namespaces.Blocking);
        foreach (var jid in _blocklist.State.Blocked)
        {
            list.AddChild("item", Namespaces.Blocking).SetAttribute("jid", jid);
        }

        return Stanza.Result(iq, list);
    }

    private async Task<Element?> HandleBlocklistChangeAsync(UserSession session, Element iq, Element action)
    {
        var blocking = action.Name == "block";
        var jids = new List<string>();
        foreach (var item in action.Elements("item", Namespaces.Blocking))
        {
            if (!Jid.TryParse(item.GetAttribute("jid"), out var jid))
            {
                throw new StanzaErrorException(StanzaError.JidMalformed());
            }

            item.SetAttribute("jid", jid.ToString()); // the push echoes the prepared form
            jids.Add(jid.ToString());
        }

        if (blocking && jids.Count == 0)
        {
            throw new StanzaErrorException(StanzaError.BadRequest("Nothing to block"));
        }

        var list = _blocklist.State.Blocked;
        var before = new HashSet<string>(list, StringComparer.Ordinal);
        if (blocking)
        {
            list.AddRange(jids.Where(j => !before.Contains(j)).Distinct(StringComparer.Ordinal));
        }
        else if (jids.Count == 0)
        {
            list.Clear(); // §3.6: unblock with no items unblocks everyone
            jids.AddRange(before);
        }
        else
        {
            list.RemoveAll(jids.Contains);
        }

        await _blocklist.SaveAsync();
        _outbox.Add(session.Route, Stanza.Result(iq));
        await ApplyPresenceForBlocklistChangeAsync(blocking, jids, before);

        // §3.3/§3.5: every resource that fetched the list hears of the change.
        foreach (var other in _sessions.Values.Where(s => s.WantsBlocklistPushes))
        {
            var push = new Element(Stanza.Iq) { Type = "set", Id = "blocklist-push", To = other.FullJid.ToString() };
            push.Add(action.Clone());
            _outbox.Add(other.Route, push);
        }

        return null;
    }

    /// <summary>
    /// Blocking a subscribed contact makes the user appear unavailable to it and drops its pending
    /// request; unblocking one shares the user's presence again (§3.3, §3.5).
    /// </summary>
    private async Task ApplyPresenceForBlocklistChangeAsync(bool blocking, List<string> jids, HashSet<string> before)
    {
        var rosterChanged = false;
        foreach (var jid in jids)
        {
            if (blocking)
            {
                if (IsContactSubscribed(jid))
                {
                    if (!before.Contains(jid))
                    {
                        SendPresenceOfAvailableResources(jid, new Element(Stanza.Presence) { Type = "unavailable" });
                    }
                }
                else
                {
                    rosterChanged |= _roster.State.PendingIn.Remove(jid);
                }
            }
            else if (IsContactSubscribed(jid))
            {
                SendPresenceOfAvailableResources(jid);
            }
        }

        if (rosterChanged)
        {
            await SaveRosterAsync();
        }
    }
}
