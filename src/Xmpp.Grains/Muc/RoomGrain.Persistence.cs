using Microsoft.Extensions.Logging;
using Xmpp.Grains.Muc.State;
using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Muc;

// What survives a restart (persistent rooms: configuration, affiliations, subject, reserved
// nicknames, and the history on deactivation) and how a room ends (Prosody's room_save,
// forget_room, delete_room and tombstones).
public sealed partial class RoomGrain
{
    /// <summary>
    /// Prosody's forced room:save(): a persistent room is written (awaited, so the client is only
    /// answered once it is durable); a room that stopped being persistent is removed from storage.
    /// The service learns of name, visibility and persistence.
    /// </summary>
    private async Task SaveAsync()
    {
        if (Config.Persistent)
        {
            _state.State.Exists = true;
            await _state.SaveAsync();
        }
        else if (_state.RecordExists)
        {
            var live = _state.State;
            await _state.ClearAsync();
            _state.State = live;
            live.Exists = false;
            await ClearStoredHistoryKeepingMemoryAsync();
        }

        NotifyService();
    }

    /// <summary>Prosody's room:save() without force: only a persistent room is written.</summary>
    private async Task SaveIfPersistentAsync()
    {
        if (Config.Persistent)
        {
            _state.State.Exists = true;
            await _state.SaveAsync();
        }
    }

    private async Task ClearStoredHistoryKeepingMemoryAsync()
    {
        if (_storedHistory.RecordExists)
        {
            await _storedHistory.ClearAsync();
        }

        _historyDirty = _history.Count > 0;
    }

    private RoomListing Listing() => new()
    {
        Jid = _jid,
        Name = Config.Name,
        Public = Config.Public,
        Persistent = Config.Persistent,
        Exists = _exists,
    };

    /// <summary>Tells the service of a change, in order with the changes before it and without waiting for it.</summary>
    private void NotifyService()
    {
        if (_serviceNotices is null)
        {
            var service = GrainFactory.GetGrain<IMucServiceGrain>(_host);
            _serviceNotices = new OrderedDelivery<RoomListing>(
                service.RoomsChangedAsync,
                (listings, e) => _logger.LogWarning(e, "The MUC service did not hear of {Count} changes of room {Room}", listings.Count, _jid));
        }

        _serviceNotices.TryEnqueue(Listing());
    }

    /// <summary>An empty temporary room ends: nothing was stored, so it is only forgotten.</summary>
    private void ForgetRoom()
    {
        ResetMemory();
        _state.State = new RoomState();
        NotifyService();
        DeactivateOnIdle();
    }

    /// <summary>A destroyed room: storage cleared, or replaced by a tombstone for a persistent room.</summary>
    private async Task ForgetRoomAsync(TombstoneState? tombstone)
    {
        ResetMemory();
        await ClearStoredHistoryAsync();
        if (tombstone is not null)
        {
            _state.State = new RoomState { Tombstone = tombstone };
            await _state.SaveAsync();
        }
        else
        {
            if (_state.RecordExists)
            {
                await _state.ClearAsync();
            }

            _state.State = new RoomState();
        }

        NotifyService();
        DeactivateOnIdle();
    }

    private void ResetMemory()
    {
        _sessionRoutes.Clear();
        _exists = false;
        _destroying = false;
        _occupants.Clear();
        _jidNick.Clear();
        _history.Clear();
        _historyDirty = false;
        _reservedNicks = null;
    }

    /// <summary>
    /// Prosody's tombstones: a destroyed persistent room answers <c>gone</c> (with the alternate
    /// venue as an xmpp: URI) until it expires or a service admin re-creates it by joining.
    /// Returns whether the stanza was answered.
    /// </summary>
    private async Task<bool> AnswerFromTombstoneAsync(Element stanza, Jid from, TombstoneState tombstone)
    {
        if (tombstone.Until < Now || (IsServiceAdmin(from.ToString()) && stanza.Name == Stanza.Presence && stanza.Type is null))
        {
            await _state.ClearAsync();
            return false;
        }

        if (stanza.Type != "error")
        {
            var reply = Stanza.ErrorReply(stanza, StanzaError.Gone(tombstone.Reason), _host == stanza.To ? null : _host);
            if (tombstone.AlternateVenue is { } venue)
            {
                reply.Child("error", Namespaces.Client)?.Child("gone", Namespaces.Stanzas)?.AddText("xmpp:" + venue + "?join");
            }

            Send(reply);
        }

        return true;
    }
}
