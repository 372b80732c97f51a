using Microsoft.Extensions.Logging;

namespace Xmpp.Gateway.Sessions;

// The bound stream (RFC 6120 §8): every stanza is checked, stamped with the full JID and handed to
// the account's grain, which handles or routes it.
internal sealed partial class XmppSession
{
    private ValueTask OnStanzaAsync(Element stanza)
    {
        if (IsClientStateNonza(stanza))
        {
            return OnClientStateAsync(stanza);
        }

        return WithinStanzaLease() ? OnClientStanzaAsync(stanza) : OnClientStanzaAfterLeaseAsync(stanza);
    }

    /// <summary>The account's stanza rate is taken (and waited for) before the stanza goes on, so that nothing read past the rate reaches anyone.</summary>
    private async ValueTask OnClientStanzaAfterLeaseAsync(Element stanza)
    {
        await TakeStanzaLeaseAsync();
        if (_closeReason is null)
        {
            await OnClientStanzaAsync(stanza);
        }
    }

    private ValueTask OnClientStanzaAsync(Element stanza)
    {
        ReleaseHeldStanzas(); // a client that sends is awake
        // §4.9.3.24 / §8: only message, presence and iq of jabber:client are stanzas on a c2s stream.
        if (!Stanza.IsStanza(stanza))
        {
            RequestClose(new StreamError(StreamError.UnsupportedStanzaType, $"<{stanza.Name}/> in '{stanza.Namespace}' is not supported"));
            return ValueTask.CompletedTask;
        }

        CountHandled(); // XEP-0198: taken on from here, whatever becomes of it

        // §8.1.2.1: a 'from' must be the client's own address (full, or bare as a courtesy); the
        // server stamps the full JID in any case.
        if (stanza.From is { } from && from != _fullJid && !IsOwnAddress(from))
        {
            RequestClose(new StreamError(StreamError.InvalidFrom, "The 'from' address does not match the session"));
            return ValueTask.CompletedTask;
        }

        stanza.From = _fullJid;

        // RFC 6120 §4.7.4: a stanza without a language is in the stream's; the server says so, so
        // that recipients and archives (XEP-0313 results carry the stanza as sent) know it too.
        if (stanza.Lang is null && _lang is not null)
        {
            stanza.Lang = _lang;
        }

        if (stanza.To is { } to)
        {
            if (!Jid.TryParse(to, out var target))
            {
                // §8.3.3.8: an unparseable 'to' is the sender's mistake, answered at stanza level.
                if (Stanza.MayBounce(stanza))
                {
                    var reply = Stanza.ErrorReply(stanza, StanzaError.JidMalformed());
                    reply.From = null;
                    Reply(reply);
                }

                return ValueTask.CompletedTask;
            }

            var canonical = target.ToString();
            if (!string.Equals(canonical, to, StringComparison.Ordinal))
            {
                stanza.To = canonical; // routing and recipients see the prepared address (RFC 7622 §3)
            }
        }

        if (IsOwnRegistrationRequest(stanza))
        {
            return OnOwnRegistrationAsync(stanza);
        }

        if (IsSessionRequest(stanza))
        {
            // RFC 3921 §3 session establishment: nothing to do but say yes (RFC 6121 Appendix E).
            Reply(Stanza.Result(stanza));
            return ValueTask.CompletedTask;
        }

        _context.Metrics.StanzaIn(stanza);
        _toAccount!.TryEnqueue(stanza); // in order, not awaited: the reader goes on with the next stanza
        return ValueTask.CompletedTask;
    }

    /// <summary>A batch of this client's stanzas did not reach its account's grain: the stream cannot go on correctly.</summary>
    private void HandOverFailed(IReadOnlyList<Element> stanzas, Exception e)
    {
        Logger.LogWarning(e, "Handing {Count} stanzas of {Jid} to its account failed", stanzas.Count, _fullJid);
        RequestClose(new StreamError(StreamError.InternalServerError));
    }

    private bool IsOwnAddress(string from) =>
        Jid.TryParse(from, out var jid) && (jid.ToString() == _fullJid || jid == Jid!.Bare);

    private bool IsSessionRequest(Element stanza) =>
        stanza.Name == Stanza.Iq && stanza.Type == "set"
        && (stanza.To is null || stanza.To == _context.Domain)
        && stanza.Child("session", Namespaces.Session) is not null;
}
