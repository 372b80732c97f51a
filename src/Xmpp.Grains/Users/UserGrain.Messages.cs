using Microsoft.Extensions.Logging;
using Xmpp.Grains.Archive;
using Xmpp.Grains.Diagnostics;
using Xmpp.Grains.Users.State;

namespace Xmpp.Grains.Users;

// Message delivery (RFC 6121 §8.5) and offline storage (XEP-0160), as Prosody's mod_message/mod_offline.
public sealed partial class UserGrain
{
    private Task HandleInboundMessageAsync(Element message, Jid from, Jid to)
    {
        var stripped = StanzaIds.Restamp(message, _bareText, id: null); // neither archived nor delivered with a forged id
        return ArchivesMessage(stripped, from) ? ArchiveThenDeliverAsync(message, stripped, from, to) : DeliverWithCarbonsAsync(stripped, to);
    }

    /// <summary>Delivers a message that arrived for this account, and its carbons (XEP-0280) once it is delivered or stored.</summary>
    private Task DeliverWithCarbonsAsync(Element message, Jid to)
    {
        return AnySessionWantsCarbons() ? DeliverThenCopyAsync() : DeliverInboundMessageAsync(message, to);

        async Task DeliverThenCopyAsync()
        {
            await DeliverInboundMessageAsync(message, to);
            SendReceivedCarbons(message, to);
        }
    }

    /// <summary>Delivers a message to this account (already archived, if it is to be) or stores it offline.</summary>
    private async Task DeliverInboundMessageAsync(Element message, Jid to)
    {
        if (to.IsFull && SessionOf(to) is { } session)
        {
            _outbox.Add(session.Route, message); // §8.5.3.1: a connected resource gets it, available or not
        }
        else if (!DeliverMessageToBare(message) && IsStorableOffline(message))
        {
            await StoreOfflineAsync(message); // which every device's app server hears of
            return;
        }

        NotifyAbsentDevices(message);
    }

    /// <summary>
    /// §8.5.2: chat and normal messages go to the available resources of highest non-negative
    /// priority; headlines to all non-negative ones; groupchat to a bare JID is refused. Returns
    /// whether the message was handled (delivered, refused or dropped).
    /// </summary>
    private bool DeliverMessageToBare(Element message)
    {
        switch (message.Type)
        {
            case "error":
                return true; // never answered, never stored
            case "groupchat":
                throw new StanzaErrorException(StanzaError.ServiceUnavailable());
            case "headline":
                if (message.To is null || message.To == _bareText)
                {
                    foreach (var session in AvailableSessions.Where(s => s.Priority >= 0))
                    {
                        _outbox.Add(session.Route, message);
                    }
                }

                return true; // headlines are not stored (§8.5.2.1.1)
        }

        var available = AvailableSessions.Where(s => s.Priority >= 0).ToList();
        if (available.Count == 0)
        {
            return false;
        }

        var top = available.Max(s => s.Priority);
        foreach (var session in available.Where(s => s.Priority == top))
        {
            _outbox.Add(session.Route, message);
        }

        return true;
    }

    private static bool IsStorableOffline(Element message) => message.Type is null or "normal" or "chat";

    /// <summary>
    /// Whether <paramref name="sender"/> already holds its share of the offline store. Not for
    /// the account itself, nor for what comes back from a session that ended (it was accepted for
    /// delivery already: the share is for new messages to an absent user).
    /// </summary>
    private bool OverSendersShare(string? sender)
    {
        if (sender is null || sender == _bareText || _returningUndelivered || _options.OfflineMessagesPerSender <= 0
            || _offline.State.Messages.Count(m => m.From == sender) < _options.OfflineMessagesPerSender)
        {
            return false;
        }

        _limitMetrics.Hit(LimitMetrics.OfflinePerSender);
        if (_sendersOverShare.Add(sender))
        {
            _logger.LogInformation("Refusing offline messages from {Sender} to {Account}: it holds its share of {Share} (Xmpp:OfflineMessagesPerSender)", sender, _bareText, _options.OfflineMessagesPerSender);
        }

        return true;
    }

    private async Task StoreOfflineAsync(Element message)
    {
        if (_offline.State.Messages.Count >= _options.OfflineMessageLimit)
        {
            throw new StanzaErrorException(StanzaError.ServiceUnavailable("Offline message storage is full"));
        }

        var sender = Jid.TryParse(message.From, out var from) ? from.Bare.ToString() : null;
        if (OverSendersShare(sender))
        {
            throw new StanzaErrorException(StanzaError.ResourceConstraint("You have sent this user too many messages while they were offline"));
        }

        _offline.State.Messages.Add(new OfflineMessage { Xml = XmlText.Serialize(message), Stored = Now, From = sender });

        // Without deferral: durable before anyone may assume delivery. Deferred: one write for the
        // whole batch (HandleUndeliveredBatchAsync), before the caller hears back.
        if (!_offlineWritesDeferred)
        {
            await _offline.SaveAsync();
        }

        NotifyPushServices(message); // XEP-0357: the devices wake up to fetch it
    }

    /// <summary>XEP-0160 §4: stored messages go out, stamped with XEP-0203 delay, on initial presence.</summary>
    private async Task DeliverOfflineMessagesAsync(UserSession session)
    {
        if (_offline.State.Messages.Count == 0)
        {
            return;
        }

        foreach (var stored in _offline.State.Messages)
        {
            var message = XmlText.Parse(stored.Xml);
            Delay.Stamp(message, _options.Domain, stored.Stored);
            _outbox.Add(session.Route, message);
        }

        _offline.State.Messages.Clear();
        try
        {
            await _offline.SaveAsync();
        }
        catch (StanzaErrorException)
        {
            // Storage still holds them (and memory again, reloaded): they go out once more on the
            // next initial presence. Twice rather than lost; the presence is not answered with an error.
        }
    }
}
