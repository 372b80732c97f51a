using Xmpp.Grains.Users.State;

namespace Xmpp.Grains.Users;

// The presence subscription state machine (RFC 6121 §3 and Appendix A), with Prosody's choices.
public sealed partial class UserGrain
{
    private RosterItem? ItemOf(string jid) => _roster.State.Items.GetValueOrDefault(jid);

    /// <summary>The contact receives this user's presence.</summary>
    private bool IsContactSubscribed(string jid) => ItemOf(jid) is { } item && Subscription.HasFrom(item.Subscription);

    /// <summary>This user receives the contact's presence.</summary>
    private bool IsUserSubscribed(string jid) => ItemOf(jid) is { } item && Subscription.HasTo(item.Subscription);

    private RosterItem GetOrAddItem(string jid)
    {
        if (!_roster.State.Items.TryGetValue(jid, out var item))
        {
            item = new RosterItem();
            _roster.State.Items.Add(jid, item);
        }

        return item;
    }

    /// <summary>The user sent subscribe/subscribed/unsubscribe/unsubscribed/probe to a contact (RFC 6121 §3.1.2, §3.2.2, §3.3.2).</summary>
    private async Task HandleOutboundSubscriptionAsync(Element stanza, Jid contact)
    {
        if (contact == _bare)
        {
            return; // no self contacts
        }

        var jid = contact.ToString();
        var forwarded = stanza.Clone();
        forwarded.From = _bareText;
        forwarded.To = jid;
        switch (stanza.Type)
        {
            case "probe":
                // As Prosody: a client's probe keeps its addresses, so one to an occupant JID reaches the room (XEP-0045, Prosody #1535).
                forwarded.From = stanza.From;
                forwarded.To = stanza.To;
                _outbox.Route(forwarded);
                break;
            case "subscribe":
                CountSubscriptionRequest();
                if (await SetPendingOutAsync(jid))
                {
                    PushRosterItem(jid);
                }

                _outbox.Route(forwarded);
                break;
            case "unsubscribe":
                if (await UnsubscribeAsync(jid))
                {
                    PushRosterItem(jid);
                }

                _outbox.Route(forwarded);
                break;
            case "subscribed":
                if (await ApproveAsync(jid))
                {
                    PushRosterItem(jid);
                }

                // A pre-approval (RFC 6121 §3.4) is not announced to the contact.
                if (IsContactSubscribed(jid))
                {
                    _outbox.Route(forwarded);
                    SendPresenceOfAvailableResources(jid);
                }

                if (IsUserSubscribed(jid))
                {
                    _outbox.Route(new Element(Stanza.Presence) { Type = "probe", From = _bareText, To = jid });
                }

                break;
            case "unsubscribed":
                var (changed, wasSubscribed) = await CancelSubscriptionAsync(jid);
                if (changed)
                {
                    if (wasSubscribed)
                    {
                        PushRosterItem(jid);
                    }

                    _outbox.Route(forwarded);
                    if (wasSubscribed)
                    {
                        SendPresenceOfAvailableResources(jid, new Element(Stanza.Presence) { Type = "unavailable" });
                    }
                }

                break;
        }
    }

    /// <summary>A contact sent a subscription stanza or probe to this user (RFC 6121 §3.1.3, §3.2.3, §3.3.3, §4.3.2).</summary>
    private async Task HandleInboundSubscriptionAsync(Element stanza, Jid from)
    {
        var jid = from.Bare.ToString();
        var request = stanza.Clone();
        request.From = jid;
        request.To = _bareText;
        switch (stanza.Type)
        {
            case "probe":
                if (IsContactSubscribed(jid))
                {
                    if (SendPresenceOfAvailableResources(stanza.From!) == 0)
                    {
                        _outbox.Route(new Element(Stanza.Presence) { Type = "unavailable", From = _bareText, To = stanza.From });
                    }
                }
                else
                {
                    _outbox.Route(new Element(Stanza.Presence) { Type = "unsubscribed", From = _bareText, To = jid });
                }

                break;
            case "subscribe":
                await HandleSubscriptionRequestAsync(request, jid);
                break;
            case "unsubscribe":
                if (await ProcessInboundUnsubscribeAsync(jid))
                {
                    SendToRosterSessions(request);
                    PushRosterItem(jid);
                }

                break;
            case "subscribed":
                if (await ProcessInboundApprovalAsync(jid))
                {
                    SendToRosterSessions(request);
                    PushRosterItem(jid);
                }

                break;
            case "unsubscribed":
                if (await ProcessInboundCancellationAsync(jid))
                {
                    SendToRosterSessions(request);
                    PushRosterItem(jid);
                }

                break;
        }
    }

    private async Task HandleSubscriptionRequestAsync(Element request, string jid)
    {
        if (IsContactSubscribed(jid))
        {
            // Already subscribed: answer for the user and share current presence (RFC 6121 §3.1.3 rule 1).
            _outbox.Route(new Element(Stanza.Presence) { Type = "subscribed", From = _bareText, To = jid });
            if (SendPresenceOfAvailableResources(jid) == 0)
            {
                _outbox.Route(new Element(Stanza.Presence) { Type = "unavailable", From = _bareText, To = jid });
            }

            return;
        }

        if (ItemOf(jid) is { Approved: true } approved)
        {
            // RFC 6121 §3.4: a pre-approved request is approved on the user's behalf.
            approved.Approved = false;
            approved.Subscription = approved.Subscription == Subscription.To ? Subscription.Both : Subscription.From;
            _roster.State.PendingIn.Remove(jid);
            await SaveRosterAsync();
            PushRosterItem(jid);
            _outbox.Route(new Element(Stanza.Presence) { Type = "subscribed", From = _bareText, To = jid });
            SendPresenceOfAvailableResources(jid);
            return;
        }

        // Prosody acknowledges receipt with unavailable presence from the bare JID.
        _outbox.Route(new Element(Stanza.Presence) { Type = "unavailable", From = _bareText, To = jid });
        if (!_roster.State.PendingIn.ContainsKey(jid))
        {
            _roster.State.PendingIn[jid] = XmlText.Serialize(request);
            await SaveRosterAsync();
            foreach (var session in AvailableSessions)
            {
                _outbox.Add(session.Route, request);
            }
        }
    }

    private async Task<bool> SetPendingOutAsync(string jid)
    {
        var item = ItemOf(jid);
        if (item is not null && (item.Ask || Subscription.HasTo(item.Subscription)))
        {
            return false;
        }

        GetOrAddItem(jid).Ask = true;
        await SaveRosterAsync();
        return true;
    }

    private async Task<bool> UnsubscribeAsync(string jid)
    {
        var item = ItemOf(jid);
        if (item is null || (!Subscription.HasTo(item.Subscription) && !item.Ask))
        {
            return false;
        }

        item.Ask = false;
        item.Subscription = item.Subscription == Subscription.Both ? Subscription.From : Subscription.None;
        await SaveRosterAsync();
        return true;
    }

    /// <summary>Approves a pending request, or stores a pre-approval when there is none (RFC 6121 §3.4).</summary>
    private async Task<bool> ApproveAsync(string jid)
    {
        var item = ItemOf(jid);
        if (_roster.State.PendingIn.Remove(jid))
        {
            item = GetOrAddItem(jid);
            item.Subscription = item.Subscription == Subscription.To ? Subscription.Both : Subscription.From;
            item.Approved = false;
            await SaveRosterAsync();
            return true;
        }

        if (item is null || !Subscription.HasFrom(item.Subscription))
        {
            GetOrAddItem(jid).Approved = true;
            await SaveRosterAsync();
            return true;
        }

        return false;
    }

    /// <summary>The user refuses or revokes the contact's subscription. Returns whether anything changed and whether the contact was subscribed.</summary>
    private async Task<(bool Changed, bool WasSubscribed)> CancelSubscriptionAsync(string jid)
    {
        var pending = _roster.State.PendingIn.Remove(jid);
        var item = ItemOf(jid);
        var wasSubscribed = false;
        if (item is not null)
        {
            if (Subscription.HasFrom(item.Subscription))
            {
                item.Subscription = item.Subscription == Subscription.Both ? Subscription.To : Subscription.None;
                wasSubscribed = true;
            }

            item.Approved = false;
        }

        if (pending || wasSubscribed)
        {
            await SaveRosterAsync();
        }

        return (pending || wasSubscribed, wasSubscribed);
    }

    private async Task<bool> ProcessInboundApprovalAsync(string jid)
    {
        if (ItemOf(jid) is not { Ask: true } item)
        {
            return false; // unsolicited 'subscribed' is ignored (RFC 6121 §3.1.6)
        }

        item.Subscription = item.Subscription == Subscription.From ? Subscription.Both : Subscription.To;
        item.Ask = false;
        await SaveRosterAsync();
        return true;
    }

    private async Task<bool> ProcessInboundCancellationAsync(string jid)
    {
        var item = ItemOf(jid);
        if (item is null)
        {
            return false;
        }

        var changed = item.Ask;
        item.Ask = false;
        if (Subscription.HasTo(item.Subscription))
        {
            item.Subscription = item.Subscription == Subscription.Both ? Subscription.From : Subscription.None;
            changed = true;
        }

        if (changed)
        {
            await SaveRosterAsync();
        }

        return changed;
    }

    private async Task<bool> ProcessInboundUnsubscribeAsync(string jid)
    {
        var changed = _roster.State.PendingIn.Remove(jid);
        if (ItemOf(jid) is { } item && Subscription.HasFrom(item.Subscription))
        {
            item.Subscription = item.Subscription == Subscription.Both ? Subscription.To : Subscription.None;
            changed = true;
        }

        if (changed)
        {
            await SaveRosterAsync();
        }

        return changed;
    }
}
