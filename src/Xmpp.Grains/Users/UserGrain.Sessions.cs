using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Users;

// Resource binding and session ends (RFC 6120 §7, RFC 6121 §4.6).
public sealed partial class UserGrain
{
    public async Task<Jid> BindAsync(string? resource, ISessionObserver session, ISessionHub hub)
    {
        _accountExists = true; // the gateway authenticated this account
        resource ??= NewId();
        var fullJid = _bare.WithResource(resource);
        try
        {
            if (_sessions.Remove(resource, out var replaced))
            {
                // Prosody's default conflict rule: the new session wins and the old one is told why.
                _outbox.Close(replaced.Route, new StreamError(StreamError.Conflict, "Replaced by new connection"));
                await EndSessionAsync(replaced);
            }

            _sessions.Add(resource, new UserSession(fullJid, _directory.Resolve(new SessionAddress(fullJid.ToString(), session, hub))));
            await ClearTombstoneAsync(); // someone logged in: the account exists again (re-created by an administrator)
            await MoveLegacyPrivateBookmarksAsync();

            // Sessions live only in this activation: it must stay while any is connected, however quiet.
            DelayDeactivation(TimeSpan.MaxValue);
            return fullJid;
        }
        finally
        {
            _outbox.Flush();
        }
    }

    public async Task UnbindAsync(string resource, ISessionObserver session, IReadOnlyList<Element> undelivered)
    {
        try
        {
            int? goneTopPriority = null;
            _sessions.TryGetValue(resource, out var current);
            if (current is not null && current.WasResumedFrom(session))
            {
                PassOnToResumed(current, undelivered);
                return;
            }

            if (current is not null && current.Route.Reference.Equals(session))
            {
                _sessions.Remove(resource);
                if (_sessions.Count == 0)
                {
                    DelayDeactivation(TimeSpan.Zero); // back to the normal idle rule
                }

                goneTopPriority = current.IsAvailable ? current.Priority : null;
                await EndSessionAsync(current);
            }

            // Also for a session a newer bind already replaced: its queue never reached its client either.
            if (undelivered.Count > 0)
            {
                await HandleUndeliveredBatchAsync(resource, undelivered, goneTopPriority);
            }
        }
        finally
        {
            _outbox.Flush();
        }
    }

    /// <summary>
    /// The sessions live only in this activation: when Orleans deactivates it while any is still
    /// bound (its silo shuts down before its gateway did, its directory partition was lost, its
    /// stored state changed under it), they are closed rather than left talking to an account that
    /// no longer knows them; their clients reconnect and bind afresh.
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        foreach (var session in _sessions.Values)
        {
            _outbox.Close(session.Route, new StreamError(StreamError.SystemShutdown, "The session's account moved; please reconnect"));
        }

        _sessions.Clear();
        _outbox.Flush();
        return Task.CompletedTask;
    }

    /// <summary>A session is gone: its contacts and directed-presence recipients learn it is unavailable.</summary>
    private async Task EndSessionAsync(UserSession session)
    {
        _pepRecipients.Remove(session.FullJid.ToString());
        if (session.IsAvailable)
        {
            var unavailable = new Element(Stanza.Presence) { From = session.FullJid.ToString(), Type = "unavailable" };
            await BroadcastOwnPresenceAsync(session, unavailable, reflect: false);
        }
        else
        {
            SendUnavailableToDirectedRecipients(session, new Element(Stanza.Presence) { Type = "unavailable" });
        }
    }
}
