using Xmpp.Grains.Archive;

namespace Xmpp.Grains.Users;

// Message carbons (XEP-0280), as Prosody's mod_carbons: a resource that enabled them gets a copy
// of every eligible message its account's other resources send (<sent/>) or get (<received/>).
public sealed partial class UserGrain
{
    /// <summary>
    /// XEP-0280 §6: chat messages, and normal ones with a body, are copied; groupchat, headlines
    /// and errors are not, nor a message marked <c>&lt;private/&gt;</c> or XEP-0334 <c>&lt;no-copy/&gt;</c>.
    /// A private message from a room occupant (XEP-0045) is copied when sent, not when received:
    /// the other resources are not in the room.
    /// </summary>
    private static bool IsCarbonEligible(Element message, bool received) =>
        (message.Type == "chat" || (message.Type is null or "normal" && message.Child("body", Namespaces.Client) is not null))
        && message.Child("private", Namespaces.Carbons) is null
        && message.Child("no-copy", Namespaces.Hints) is null
        && !(received && message.Child("x", Namespaces.MucUser) is not null);

    private static Element HandleCarbonsRequest(Element iq, Element payload, UserSession session)
    {
        session.WantsCarbons = payload.Name == "enable";
        return Stanza.Result(iq);
    }

    /// <summary>Copies of a message a resource of this account sent, to the account's other resources that want them.</summary>
    private void SendSentCarbons(Element message, UserSession sender, long? archiveId)
    {
        if (!AnySessionWantsCarbons() || !IsCarbonEligible(message, received: false))
        {
            return;
        }

        Element? copy = null;
        foreach (var session in _sessions.Values)
        {
            if (session.WantsCarbons && session != sender)
            {
                // §3.5 of XEP-0313: the copy says under which id the account archived it.
                copy ??= Carbon("sent", archiveId is { } id ? StanzaIds.Restamp(message, _bareText, id) : message);
                _outbox.Add(session.Route, Stanza.Envelope(copy, session.FullJid.ToString()));
            }
        }
    }

    private bool AnySessionWantsCarbons()
    {
        foreach (var session in _sessions.Values)
        {
            if (session.WantsCarbons)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Copies of a message this account got, to its resources that want them and did not get it
    /// themselves: the addressed resource, or for the bare JID those of top priority (RFC 6121 §8.5.2).
    /// </summary>
    private void SendReceivedCarbons(Element message, Jid to)
    {
        if (!IsCarbonEligible(message, received: true))
        {
            return;
        }

        var addressed = to.IsFull ? SessionOf(to) : null;
        var top = addressed is null ? AvailableSessions.Where(s => s.Priority >= 0).Select(s => (int?)s.Priority).Max() : null;
        Element? copy = null;
        foreach (var session in _sessions.Values)
        {
            var gotIt = addressed is not null ? session == addressed : session.IsAvailable && session.Priority == top;
            if (session.WantsCarbons && !gotIt)
            {
                copy ??= Carbon("received", message);
                _outbox.Add(session.Route, Stanza.Envelope(copy, session.FullJid.ToString()));
            }
        }
    }

    /// <summary><c>&lt;message from='bare' type='…'&gt;&lt;sent|received&gt;&lt;forwarded&gt;…</c> (XEP-0280 §7, §8), addressed per session.</summary>
    private Element Carbon(string direction, Element message)
    {
        var carbon = new Element("message").SetAttribute("from", _bareText).SetAttribute("type", message.Type);
        carbon.AddChild(direction, Namespaces.Carbons).AddChild("forwarded", Namespaces.Forward).Add(message);
        return carbon;
    }
}
