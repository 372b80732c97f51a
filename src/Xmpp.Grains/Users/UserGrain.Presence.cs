using System.Globalization;
using Xmpp.Grains.Users.State;

namespace Xmpp.Grains.Users;

// Presence broadcast, probes and directed presence (RFC 6121 §4), as Prosody's mod_presence does them.
public sealed partial class UserGrain
{
    private static bool IsSubscriptionType(string? type) =>
        type is "subscribe" or "subscribed" or "unsubscribe" or "unsubscribed" or "probe";

    /// <summary>Subscription management towards a bare JID stays possible while that JID is blocked.</summary>
    private static bool IsSubscriptionManagement(Element stanza, Jid to) =>
        stanza.Name == Stanza.Presence && to.IsBare && IsSubscriptionType(stanza.Type);

    private async Task HandleOutboundPresenceAsync(UserSession session, Element stanza, Jid? to)
    {
        var type = stanza.Type;
        if (type is not (null or "unavailable" or "error") && !IsSubscriptionType(type))
        {
            throw new StanzaErrorException(StanzaError.BadRequest("Invalid presence type"));
        }

        if (type is null)
        {
            AddAvatarUpdate(stanza);
        }

        if (to is null)
        {
            if (type is "error" || IsSubscriptionType(type))
            {
                throw new StanzaErrorException(StanzaError.BadRequest("Invalid presence type"));
            }

            await TrackPepInterestAsync(session.FullJid, stanza, own: true);
            await BroadcastOwnPresenceAsync(session, stanza, reflect: true);
            return;
        }

        if (IsSubscriptionType(type))
        {
            await HandleOutboundSubscriptionAsync(stanza, to.Bare);
            return;
        }

        CountRoomJoin(stanza);

        // Directed presence (RFC 6121 §4.6): remembered so that unavailability reaches the recipient,
        // unless the recipient gets our presence through a subscription anyway.
        if (!(_roster.State.Items.TryGetValue(to.Bare.ToString(), out var item) && Subscription.HasFrom(item.Subscription)))
        {
            if (type is null)
            {
                (session.DirectedPresence ??= new HashSet<string>(StringComparer.Ordinal)).Add(to.ToString());
            }
            else
            {
                session.DirectedPresence?.Remove(to.ToString());
            }
        }

        _outbox.Route(stanza, session.Route.Address);
    }

    /// <summary>
    /// Presence without 'to' (RFC 6121 §4.2–§4.5): reflected to the sender, sent to the user's other
    /// available resources and to contacts with a 'from' subscription. Initial presence also probes
    /// contacts, replays the other resources' presence, redelivers pending subscription requests and
    /// offline messages.
    /// </summary>
    private async Task BroadcastOwnPresenceAsync(UserSession session, Element stanza, bool reflect)
    {
        var available = stanza.Type is null;
        var priority = ParsePriority(stanza);
        if (reflect)
        {
            _outbox.Add(session.Route, stanza);
        }

        foreach (var other in AvailableSessions)
        {
            if (other != session)
            {
                _outbox.Add(other.Route, Addressed(stanza, other.FullJid.ToString()));
            }
        }

        foreach (var (jid, item) in _roster.State.Items)
        {
            if (Subscription.HasFrom(item.Subscription))
            {
                _outbox.Route(Addressed(stanza, jid));
            }
        }

        if (available)
        {
            var initial = !session.IsAvailable;
            var stored = stanza.Clone();
            stored.Add(Delay.Create(_options.Domain, Now));
            session.StorePresence(stored);
            session.Priority = priority;
            if (initial)
            {
                await OnInitialPresenceAsync(session);
            }
        }
        else
        {
            session.StorePresence(null);
            session.Priority = 0;
            SendUnavailableToDirectedRecipients(session, stanza);
            await RecordLogoutAsync(stanza.ChildText("status", Namespaces.Client));
        }
    }

    private async Task OnInitialPresenceAsync(UserSession session)
    {
        var full = session.FullJid.ToString();
        foreach (var (jid, item) in _roster.State.Items)
        {
            if (Subscription.HasTo(item.Subscription))
            {
                _outbox.Route(new Element(Stanza.Presence) { Type = "probe", From = full, To = jid });
            }
        }

        foreach (var other in AvailableSessions)
        {
            if (other != session)
            {
                _outbox.Add(session.Route, other.ReplayPresence(full));
            }
        }

        // RFC 6121 §3.1.3: subscription requests received while offline are delivered now, complete.
        foreach (var (jid, request) in _roster.State.PendingIn)
        {
            var subscribe = XmlText.Parse(request);
            subscribe.Type = "subscribe";
            subscribe.From = jid;
            _outbox.Add(session.Route, subscribe);
        }

        // RFC 6121 §3.1.2: outbound requests still unanswered are sent again.
        foreach (var (jid, item) in _roster.State.Items)
        {
            if (item.Ask)
            {
                _outbox.Route(new Element(Stanza.Presence) { Type = "subscribe", From = _bareText, To = jid });
            }
        }

        if (session.Priority >= 0)
        {
            await DeliverOfflineMessagesAsync(session);
        }
    }

    private void SendUnavailableToDirectedRecipients(UserSession session, Element unavailable)
    {
        if (session.DirectedPresence is null)
        {
            return;
        }

        foreach (var jid in session.DirectedPresence)
        {
            var copy = Addressed(unavailable, jid);
            copy.From = session.FullJid.ToString();
            _outbox.Route(copy);
        }

        session.DirectedPresence = null;
    }

    /// <summary>
    /// Sends the presence of every available resource to <paramref name="to"/> (the stored presence,
    /// with its delay stamp), or <paramref name="replacement"/> from each of them. Returns how many.
    /// </summary>
    private int SendPresenceOfAvailableResources(string to, Element? replacement = null)
    {
        var count = 0;
        foreach (var session in AvailableSessions)
        {
            var presence = replacement is null ? session.ReplayPresence(to) : Addressed(replacement, to);
            presence.From = session.FullJid.ToString();
            _outbox.Route(presence);
            count++;
        }

        return count;
    }

    private async Task HandleInboundPresenceAsync(Element stanza, Jid from, Jid to)
    {
        var type = stanza.Type;
        if (IsSubscriptionType(type))
        {
            if (type == "unsubscribe")
            {
                ForgetPepRecipients(from.Bare);
            }

            await HandleInboundSubscriptionAsync(stanza, from);
            return;
        }

        if (type is not (null or "unavailable" or "error"))
        {
            throw new StanzaErrorException(StanzaError.BadRequest("Invalid presence type"));
        }

        if (to.IsBare)
        {
            foreach (var session in AvailableSessions)
            {
                _outbox.Add(session.Route, stanza);
            }
        }
        else if (SessionOf(to) is { } session)
        {
            _outbox.Add(session.Route, stanza);
        }

        if (from.IsFull && from.Bare != _bare)
        {
            await TrackPepInterestAsync(from, stanza, own: false);
        }
    }

    /// <summary>
    /// XEP-0153 §3.2 as Prosody's mod_vcard_legacy does it: available presence carries
    /// <c>&lt;x xmlns='vcard-temp:x:update'&gt;&lt;photo/&gt;&lt;/x&gt;</c>; a client's own photo element is left alone.
    /// </summary>
    private static void AddAvatarUpdate(Element presence)
    {
        var update = presence.Child("x", Namespaces.VCardUpdate);
        if (update is null)
        {
            presence.AddChild("x", Namespaces.VCardUpdate).AddChild("photo", Namespaces.VCardUpdate);
        }
        else if (update.Child("photo", Namespaces.VCardUpdate) is null)
        {
            update.AddChild("photo", Namespaces.VCardUpdate);
        }
    }

    /// <summary>RFC 6121 §4.7.2.3: an integer from -128 to 127, 0 when absent or unparsable.</summary>
    private static int ParsePriority(Element presence)
    {
        var text = presence.ChildText("priority", Namespaces.Client);
        if (text is null || !int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var priority))
        {
            return 0;
        }

        return Math.Clamp(priority, -128, 127);
    }

    /// <summary>A copy of the stanza addressed to someone else; the original may be shared with other recipients.</summary>
    private static Element Addressed(Element stanza, string to)
    {
        var copy = stanza.Clone();
        copy.To = to;
        return copy;
    }
}
