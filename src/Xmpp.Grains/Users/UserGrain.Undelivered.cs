using Microsoft.Extensions.Logging;

namespace Xmpp.Grains.Users;

// Stanzas that were on their way to a session of this account when it ended (the client stopped
// reading, the connection failed, the server shut down, a new bind replaced it) and never reached
// its client: handled as undeliverable (RFC 6121 §8) instead of vanishing, as Prosody's mod_smacks
// does with a session's unacknowledged stanzas.
public sealed partial class UserGrain
{
    /// <summary>
    /// What becomes of one undelivered stanza. <paramref name="goneTopPriority"/>: the ended
    /// session's priority when it was available (null if not, or already gone), to tell whether a
    /// message to the bare JID reached the other resources too.
    /// </summary>
    private async Task<UndeliveredOutcome> HandleUndeliveredAsync(Element stanza, int? goneTopPriority)
    {
        if (_accountExists == false)
        {
            // The account was removed while they were on their way: as to no account (RFC 6121 §8.5.1).
            return stanza.Name == Stanza.Presence || !Stanza.MayBounce(stanza) || stanza.Type == "groupchat"
                ? UndeliveredOutcome.Dropped
                : throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }

        if (stanza.Name == Stanza.Iq)
        {
            // §8.5.3.2.2 / RFC 6120 §8.3.3.11: a request nobody will answer gets service-unavailable.
            return stanza.Type is "get" or "set" ? throw new StanzaErrorException(StanzaError.ServiceUnavailable()) : UndeliveredOutcome.Dropped;
        }

        if (stanza.Name != Stanza.Message || !Jid.TryParse(stanza.To, out var to))
        {
            return UndeliveredOutcome.Dropped; // presence is never stored or answered (§8.5.3.2.3)
        }

        if (to.IsFull && SessionOf(to) is not null)
        {
            await DeliverInboundMessageAsync(stanza, to); // a newer session of that resource takes it (archived on its first way in)
            return UndeliveredOutcome.Delivered;
        }

        if (stanza.Type is "headline" or "error")
        {
            return UndeliveredOutcome.Dropped; // never stored, never answered (§8.5.2.1.1)
        }

        if (!to.IsFull && stanza.Type != "groupchat" && SentToOthersToo(goneTopPriority))
        {
            return UndeliveredOutcome.Dropped; // the other available resources got their copy
        }

        // §8.5.3.2.1: as a message to the bare JID: other resources, else offline storage (an error
        // when it is full); groupchat and an offline store that is full end up as an error reply.
        var offline = _offline.State.Messages.Count;
        await DeliverInboundMessageAsync(stanza, to);
        return _offline.State.Messages.Count > offline ? UndeliveredOutcome.StoredOffline : UndeliveredOutcome.Delivered;
    }

    /// <summary>A message to the bare JID went to every available resource of the top priority.</summary>
    private bool SentToOthersToo(int? goneTopPriority)
    {
        var others = AvailableSessions.Where(s => s.Priority >= 0).Select(s => s.Priority).DefaultIfEmpty(int.MinValue).Max();
        return others != int.MinValue && (goneTopPriority is not { } gone || gone <= others);
    }

    private async Task HandleUndeliveredBatchAsync(string resource, IReadOnlyList<Element> undelivered, int? goneTopPriority)
    {
        var counts = new int[Enum.GetValues<UndeliveredOutcome>().Length];
        var handler = new Undelivered(this, goneTopPriority, counts);

        // A slow reader's queue can be thousands of messages: the offline store is written once for
        // all of them (the gateway waits for this call), not once per message.
        var offlineBefore = _offline.State.Messages.Count;
        _offlineWritesDeferred = true;
        _returningUndelivered = true;
        try
        {
            await StanzaBatch.HandleEachAsync(undelivered, handler);
        }
        finally
        {
            _offlineWritesDeferred = false;
            _returningUndelivered = false;
        }

        if (_offline.State.Messages.Count > offlineBefore)
        {
            await WriteDeferredOfflineAsync(offlineBefore);
        }

        _logger.LogInformation(
            "{Count} stanzas did not reach {Jid}/{Resource} before its session ended: {Offline} stored offline, {Delivered} delivered to another session, {Bounced} answered with an error, {Dropped} dropped (presence, results, copies other sessions got)",
            undelivered.Count,
            _bareText,
            resource,
            counts[(int)UndeliveredOutcome.StoredOffline],
            counts[(int)UndeliveredOutcome.Delivered],
            counts[(int)UndeliveredOutcome.Bounced],
            counts[(int)UndeliveredOutcome.Dropped]);
    }

    /// <summary>
    /// Writes the messages the batch stored; should that fail, they leave memory again and their
    /// senders get an error, so that nothing looks stored that is not.
    /// </summary>
    private async Task WriteDeferredOfflineAsync(int offlineBefore)
    {
        try
        {
            await _offline.WriteStateAsync();
        }
        catch (Exception e)
        {
            var unsaved = _offline.State.Messages.GetRange(offlineBefore, _offline.State.Messages.Count - offlineBefore);
            _offline.State.Messages.RemoveRange(offlineBefore, unsaved.Count);
            _logger.LogError(e, "Storing {Count} undelivered messages of {Jid} offline failed", unsaved.Count, _bareText);
            foreach (var stored in unsaved)
            {
                _outbox.Bounce(XmlText.Parse(stored.Xml), StoredStateSaving.NotSaved);
            }

            if (e is Orleans.Storage.InconsistentStateException)
            {
                DeactivateOnIdle();
            }
        }
    }

    private enum UndeliveredOutcome
    {
        StoredOffline,
        Delivered,
        Bounced,
        Dropped,
    }

    /// <summary>Undelivered stanzas: errors go back to their senders, like any inbound stanza's.</summary>
    private readonly struct Undelivered(UserGrain grain, int? goneTopPriority, int[] counts) : IStanzaHandler
    {
        public ILogger Logger => grain._logger;

        public async Task HandleAsync(Element stanza) => counts[(int)await grain.HandleUndeliveredAsync(stanza, goneTopPriority)]++;

        public void Reply(Element stanza, StanzaError error)
        {
            counts[(int)UndeliveredOutcome.Bounced]++;
            grain._outbox.Bounce(stanza, error);
        }

        public void StaleState() => grain.DeactivateOnIdle();
    }
}
