using System.Globalization;
using Xmpp.Grains.Users.State;

namespace Xmpp.Grains.Users;

// Roster management (RFC 6121 §2): get with versioning, set, remove, pushes to interested resources.
public sealed partial class UserGrain
{
    private string RosterVersion => _roster.State.Version.ToString(CultureInfo.InvariantCulture);

    private async Task SaveRosterAsync()
    {
        _roster.State.Version++;
        await _roster.SaveAsync();
    }

    private Element HandleRosterGet(UserSession session, Element iq)
    {
        session.WantsRosterPushes = true;

        // RFC 6121 §2.6.3: an up-to-date client gets an empty result and then pushes only.
        var clientVersion = iq.FirstElement()!.GetAttribute("ver");
        if (clientVersion == RosterVersion)
        {
            return Stanza.Result(iq);
        }

        var query = new Element("query", Namespaces.Roster).SetAttribute("ver", RosterVersion);
        foreach (var (jid, item) in _roster.State.Items)
        {
            query.Add(ToElement(jid, item));
        }

        return Stanza.Result(iq, query);
    }

    private async Task<Element?> HandleRosterSetAsync(UserSession session, Element iq)
    {
        var query = iq.FirstElement()!;
        var items = query.Elements().ToList();

        // RFC 6121 §2.3.3: exactly one item.
        if (items.Count != 1 || !items[0].Is("item", Namespaces.Roster) || items[0].GetAttribute("jid") is not { } jidText)
        {
            throw new StanzaErrorException(StanzaError.BadRequest("A roster set carries exactly one item with a 'jid'"));
        }

        if (!Jid.TryParse(jidText, out var contact) || contact.IsFull)
        {
            throw new StanzaErrorException(StanzaError.BadRequest("The item's JID must be a valid bare JID"));
        }

        if (contact == _bare)
        {
            throw new StanzaErrorException(StanzaError.NotAllowed("You cannot add yourself to your roster"));
        }

        var jid = contact.ToString();
        if (items[0].GetAttribute("subscription") == Subscription.Remove)
        {
            if (ItemOf(jid) is not { } existing)
            {
                throw new StanzaErrorException(StanzaError.ItemNotFound());
            }

            CancelSubscriptionsOnRemoval(jid, existing);
            _roster.State.Items.Remove(jid);
            _roster.State.PendingIn.Remove(jid);
            await SaveRosterAsync();
        }
        else
        {
            var item = GetOrAddItem(jid);
            var name = items[0].GetAttribute("name");
            item.Name = string.IsNullOrEmpty(name) ? null : name;

            // RFC 6121 §2.3.3: a group named twice, or with empty text, is bad-request / not-acceptable.
            var groups = items[0].Elements("group", Namespaces.Roster).Select(g => g.Text).ToList();
            if (groups.Any(string.IsNullOrEmpty))
            {
                throw new StanzaErrorException(StanzaError.NotAcceptable("Group names must not be empty"));
            }

            if (groups.Distinct(StringComparer.Ordinal).Count() != groups.Count)
            {
                throw new StanzaErrorException(StanzaError.BadRequest("A group is listed twice"));
            }

            item.Groups = groups;
            await SaveRosterAsync();
        }

        // The result goes first, then the push (RFC 6121 §2.3.2), so this handler sends both itself.
        _outbox.Add(session.Route, Stanza.Result(iq));
        PushRosterItem(jid);
        return null;
    }

    /// <summary>
    /// RFC 6121 §2.5.2: removing a contact cancels the subscriptions in both directions, with the
    /// user's resources going unavailable for the contact.
    /// </summary>
    private void CancelSubscriptionsOnRemoval(string jid, RosterItem item)
    {
        if (Subscription.HasFrom(item.Subscription) || _roster.State.PendingIn.ContainsKey(jid))
        {
            _outbox.Route(new Element(Stanza.Presence) { Type = "unsubscribed", From = _bareText, To = jid });
        }

        if (Subscription.HasTo(item.Subscription) || item.Ask)
        {
            SendPresenceOfAvailableResources(jid, new Element(Stanza.Presence) { Type = "unavailable" });
            _outbox.Route(new Element(Stanza.Presence) { Type = "unsubscribe", From = _bareText, To = jid });
        }
    }

    /// <summary>RFC 6121 §2.1.6: the changed item (or its removal) goes to every resource that requested the roster.</summary>
    private void PushRosterItem(string jid)
    {
        var query = new Element("query", Namespaces.Roster).SetAttribute("ver", RosterVersion);
        query.Add(ItemOf(jid) is { } item
            ? ToElement(jid, item)
            : new Element("item", Namespaces.Roster).SetAttribute("jid", jid).SetAttribute("subscription", Subscription.Remove));
        foreach (var session in _sessions.Values)
        {
            if (session.WantsRosterPushes)
            {
                var push = new Element(Stanza.Iq) { Type = "set", Id = NewId(), To = session.FullJid.ToString() };
                push.Add(query);
                _outbox.Add(session.Route, push);
            }
        }
    }

    /// <summary>Subscription stanzas a client should see go to the resources that requested the roster.</summary>
    private void SendToRosterSessions(Element stanza)
    {
        foreach (var session in _sessions.Values)
        {
            if (session.WantsRosterPushes)
            {
                _outbox.Add(session.Route, stanza);
            }
        }
    }

    private static Element ToElement(string jid, RosterItem item)
    {
        var element = new Element("item", Namespaces.Roster)
            .SetAttribute("jid", jid)
            .SetAttribute("name", item.Name)
            .SetAttribute("subscription", item.Subscription)
            .SetAttribute("ask", item.Ask ? "subscribe" : null)
            .SetAttribute("approved", item.Approved ? "true" : null);
        foreach (var group in item.Groups)
        {
            element.AddTextChild("group", Namespaces.Roster, group);
        }

        return element;
    }
}
