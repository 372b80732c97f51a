using Microsoft.Extensions.Logging;
using Xmpp.Grains.Diagnostics;

namespace Xmpp.Grains.Users;

// Messages from strangers (Xmpp:Strangers), as Prosody's mod_block_strangers: what a JID outside
// the roster sends the user (messages, and requests to a client) is dropped or refused, unless it
// comes from a server or service (no local part), from a room the user is in (its groupchat and
// private messages: the user sent it directed presence), or answers something.
public sealed partial class UserGrain
{
    // Strangers already logged (one line each per activation).
    private readonly HashSet<string> _strangersLogged = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="stanza"/> from <paramref name="from"/> goes no further; refuses it when the policy says so.</summary>
    private bool IsFromStranger(Element stanza, Jid from, Jid to)
    {
        if (_options.Strangers == StrangerPolicy.Allow || stanza.Name == Stanza.Presence
            || (stanza.Name == Stanza.Iq && (!Stanza.IsIqRequest(stanza) || to.IsBare))
            || stanza.Type is "groupchat" or "error" || from.Local is null || from.Bare == _bare)
        {
            return false;
        }

        var bare = from.Bare.ToString();
        if (_roster.State.Items.ContainsKey(bare) || _sessions.Values.Any(s => s.DirectedPresence?.Any(d => d == bare || d.StartsWith(bare + "/", StringComparison.Ordinal)) == true))
        {
            return false;
        }

        _limitMetrics.Hit(LimitMetrics.Strangers);
        if (_strangersLogged.Add(bare))
        {
            _logger.LogInformation("{Policy} stanzas from {Stranger} to {Account}: not in the roster (Xmpp:Strangers)", _options.Strangers == StrangerPolicy.Drop ? "Dropping" : "Refusing", bare, _bareText);
        }

        if (_options.Strangers == StrangerPolicy.Refuse || stanza.Name == Stanza.Iq)
        {
            throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }

        return true;
    }
}
