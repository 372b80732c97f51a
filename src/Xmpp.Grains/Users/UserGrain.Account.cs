using Microsoft.Extensions.Logging;
using Xmpp.Grains.Muc;
using Xmpp.Grains.PubSub;
using Xmpp.Grains.Users.State;

namespace Xmpp.Grains.Users;

// The account's life (XEP-0077): registration checks, a password change, and removal with its
// tombstone, as Prosody's mod_user_account_management, the user-deleted handlers of its modules
// and mod_tombstones do them.
public sealed partial class UserGrain
{
    private static readonly StreamError PasswordChanged = new(StreamError.Reset, "Password changed");
    private static readonly StreamError AccountDeleted = new(StreamError.NotAuthorized, "Account deleted");

    /// <summary>The account was removed and the name is not free again yet.</summary>
    private bool HasTombstone =>
        _profile.State.RemovedAt is { } removed
        && (_options.AccountTombstoneExpiry is not { } expiry || removed + expiry > Now);

    public async Task<bool> MayRegisterAsync()
    {
        if (HasTombstone)
        {
            return false;
        }

        await ClearTombstoneAsync();
        return true;
    }

    public async Task AccountCreatedAsync()
    {
        _accountExists = true;
        await ClearTombstoneAsync();
    }

    public Task PasswordChangedAsync(string resource)
    {
        foreach (var (other, session) in _sessions)
        {
            if (other != resource)
            {
                _outbox.Close(session.Route, PasswordChanged);
            }
        }

        _outbox.Flush();
        return Task.CompletedTask;
    }

    public async Task RemoveAccountAsync(string resource)
    {
        try
        {
            // Contacts first, while the roster still says who they are (Prosody's mod_roster, as
            // for each removed roster item; the pending requests are refused too).
            foreach (var (jid, item) in _roster.State.Items)
            {
                CancelSubscriptionsOnRemoval(jid, item);
            }

            foreach (var jid in _roster.State.PendingIn.Keys.Where(jid => !_roster.State.Items.ContainsKey(jid)))
            {
                _outbox.Route(new Element(Stanza.Presence) { Type = "unsubscribed", From = _bareText, To = jid });
            }

            await DeletePepNodesAsync();
            await _archives.DeleteAsync(_bareText);
            await _roster.ClearAsync();
            _roster.State = new RosterState();
            await _blocklist.ClearAsync();
            _blocklist.State = new BlocklistState();
            await _offline.ClearAsync();
            _offline.State = new OfflineState();

            // The profile goes (vCard, private XML, preferences, the PEP index) but for the tombstone.
            _profile.State = new ProfileState { RemovedAt = Now };
            await _profile.SaveAsync();
            await _accounts.DeleteAsync(_bare.Local!);
            _accountExists = false;
            ForgetRoomAffiliations();

            foreach (var (other, session) in _sessions)
            {
                if (other != resource)
                {
                    _outbox.Close(session.Route, AccountDeleted);
                }
            }

            _logger.LogInformation("Account {Account} removed by its user", _bareText);
        }
        finally
        {
            _outbox.Flush();
        }
    }

    /// <summary>
    /// A stanza for a name that has no account: nobody answers (RFC 6121 §8.5.1), but presence to
    /// the bare JID is told how things stand, as Prosody: a removed account's contacts get
    /// <c>gone</c> and the end of the subscription (mod_tombstones); a probe of a name that never
    /// was an account gets <c>unsubscribed</c> (RFC 6121 §4.3.2).
    /// </summary>
    private void RefuseForMissingAccount(Element stanza, Jid from, Jid to)
    {
        if (stanza.Name != Stanza.Presence)
        {
            throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }

        if (!to.IsBare)
        {
            return;
        }

        var type = stanza.Type;
        if (HasTombstone && type is "probe" or null or "unavailable")
        {
            _outbox.Route(Stanza.ErrorReply(stanza, StanzaError.Gone("User deleted")));
            _outbox.Route(new Element(Stanza.Presence) { Type = type == "probe" ? "unsubscribed" : "unsubscribe", From = _bareText, To = stanza.From });
        }
        else if (type == "probe")
        {
            _outbox.Route(new Element(Stanza.Presence) { Type = "unsubscribed", From = _bareText, To = from.Bare.ToString() });
        }
    }

    /// <summary>The tombstone goes: it expired, or the account exists again (registered anew, or an administrator re-created it and its user logged in).</summary>
    private async Task ClearTombstoneAsync()
    {
        if (_profile.State.RemovedAt is not null)
        {
            _profile.State.RemovedAt = null;
            await _profile.SaveAsync();
        }
    }

    /// <summary>Each of the account's PEP nodes is deleted, as its owner would (Prosody's mod_pep on user-deleted).</summary>
    private async Task DeletePepNodesAsync()
    {
        var owner = new NodeRequester(_bareText, OwnsService: true);
        foreach (var node in _profile.State.PepNodes?.Keys ?? Enumerable.Empty<string>())
        {
            var delete = new Element(Stanza.Iq) { Type = "set", Id = NewId(), From = _bareText, To = _bareText };
            delete.AddChild("pubsub", Namespaces.PubSubOwner).AddChild("delete", Namespaces.PubSubOwner).SetAttribute("node", node);
            await PepNode(node).ExecuteAsync(delete, owner);
        }
    }

    /// <summary>
    /// Rooms of this server's MUC service drop the account's affiliation where they hold one and
    /// their rules allow it (an outcast stays banned; a room's last owner stays). Told one way: a
    /// room may route to this grain while it handles the news.
    /// </summary>
    private void ForgetRoomAffiliations()
    {
        if (_options.Muc.Enabled)
        {
            _ = GrainFactory.GetGrain<IMucServiceGrain>(_options.Muc.HostFor(_options.Domain)).AccountRemovedAsync(_bareText);
        }
    }
}
