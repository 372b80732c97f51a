using Microsoft.Extensions.Logging;
using Xmpp.Gateway.StreamManagement;
using Xmpp.Gateway.Transport;
using Xmpp.Grains;

namespace Xmpp.Gateway.Sessions;

// A resumable session outlives its connection (XEP-0198 §5): when the connection is lost without a
// stream close, the session stays bound at its account's grain (online for presence, no unavailable
// broadcast) and keeps what is sent to it with the unacknowledged stanzas, for
// Xmpp:StreamManagement:ResumeTimeout. A resumption, on this server or any other, takes it over
// through the account's grain (HandOverAsync); otherwise it ends when the time is up, and what its
// client did not acknowledge goes back to the account as undelivered (messages to offline storage
// or other resources, requests answered with an error), as mod_smacks does. A hibernating session
// holds no connection, buffer or timer: the tracker's heartbeat watches its deadline. It does not
// survive its server's shutdown, which ends it like the timeout.
internal sealed partial class XmppSession
{
    private const int Connected = 0;
    private const int Hibernating = 1;
    private const int HandedOver = 2;
    private const int Ended = 3;

    // Where a bound session is: connected, hibernating, handed over to a resumption, or ended. Only
    // FinishAsync leaves Connected; the heartbeat (expiry), a close and a hand-over race for
    // Hibernating, and exactly one wins.
    private int _lifecycle;

    // A resumption asked for this session while its connection was still open: keep it when it goes.
    private volatile bool _handOverRequested;

    // Resumable sessions only: completes once the connection is gone and the session decided whether
    // it hibernates, so that a hand-over takes a queue nobody writes to any more.
    private TaskCompletionSource? _quiesced;

    /// <summary>Whether the session is waiting for a resumption (for tests and diagnostics).</summary>
    internal bool IsHibernating => Volatile.Read(ref _lifecycle) == Hibernating;

    /// <summary>
    /// Whether the session may outlive its connection: it is resumable (and the client knows it is:
    /// <c>&lt;enabled/&gt;</c> went out), and the connection was lost without a close from either
    /// side (XEP-0198 §7: a closed stream is not resumable), or a resumption is waiting for it.
    /// </summary>
    private bool MayHibernate =>
        _sm is { Resumable: true, Counting: true } && _state == NegotiationState.Bound
        && (_handOverRequested || ReferenceEquals(_closeReason, PeerGone));

    /// <summary>
    /// The connection is gone and the session hibernates, unless it cannot keep what it holds (too
    /// many unacknowledged stanzas) or the server is stopping. False: it ends instead.
    /// </summary>
    private async Task<bool> TryHibernateAsync()
    {
        var expiresAt = Environment.TickCount64 + (long)StreamManagementOptions.ResumeTimeout.TotalMilliseconds;
        if ((!_handOverRequested && _sm!.Unacked.Count > StreamManagementOptions.MaxUnackedStanzas) || !_context.Tracker.Hibernate(this, expiresAt))
        {
            return false;
        }

        Volatile.Write(ref _lifecycle, Hibernating);
        _quiesced!.TrySetResult();
        try
        {
            await _transport.CompleteAsync();
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            // The connection is already gone.
        }

        // Nothing of the connection is needed any more: a session may hibernate for minutes, and
        // thousands may (a network outage on the clients' side).
        _transport = ClosedTransport.Instance;
        _writerTask = null;
        Volatile.Write(ref _outbound, null);

        Logger.LogDebug("{Jid} lost its connection and waits {Timeout} to be resumed, with {Count} unacknowledged stanzas", _fullJid, StreamManagementOptions.ResumeTimeout, _sm!.Unacked.Count);

        // Its device hears of messages through its app server meanwhile, if it asked for push (XEP-0357).
        _ = _user!.ClientStateChangedAsync(_resource!, _observer!, inactive: true);
        return true;
    }

    /// <summary>The session ends with its connection (it does not hibernate): a waiting hand-over finds nothing.</summary>
    private void EndWithConnection()
    {
        Volatile.Write(ref _lifecycle, Ended);
        _quiesced?.TrySetResult();
    }

    /// <summary>The resumption time is up (the heartbeat), the account closed the session, or the server stops.</summary>
    internal void EndHibernation()
    {
        if (Interlocked.CompareExchange(ref _lifecycle, Ended, Hibernating) == Hibernating)
        {
            _ = EndAfterHibernationAsync();
        }
    }

    private async Task EndAfterHibernationAsync()
    {
        try
        {
            await UnbindAsync(); // what the client did not acknowledge goes with it
            await HandBackRemainingAsync();
            Logger.LogDebug("{Jid} ended without being resumed", _fullJid);
        }
        finally
        {
            _context.Tracker.Forget(this);
        }
    }

    /// <summary>Too many unacknowledged stanzas: a connected session is closed, a hibernating one ends.</summary>
    private void OnTooManyUnacknowledged()
    {
        if (IsHibernating)
        {
            Logger.LogInformation("{Jid} ended while hibernating: more than {Max} stanzas waited for it", _fullJid, StreamManagementOptions.MaxUnackedStanzas);
            EndHibernation();
        }
        else
        {
            RequestClose(new StreamError(StreamError.ResourceConstraint, "Too many unacked stanzas remaining, session can't be resumed"));
        }
    }

    /// <summary>
    /// ISessionObserver: a resumption takes this session over (its account's grain asks, after
    /// everything it pushed here). A connection the session still has is dropped first: the client
    /// is on a new one. The client's <c>h</c> is reconciled with what was sent; what it did not
    /// acknowledge, stamped with when it was sent, and what it sent that has not reached the account
    /// yet, go to the new connection.
    /// </summary>
    public async Task<SessionHandOver> HandOverAsync(string resumptionId, uint acknowledged)
    {
        if (_sm is not { ResumptionId: { } id } sm || _quiesced is not { } quiesced || !ResumptionId.Matches(id, resumptionId))
        {
            return SessionHandOver.NotFound;
        }

        if (Volatile.Read(ref _lifecycle) == Connected)
        {
            _handOverRequested = true;
            _peerGone = true;
            RequestClose(PeerGone);
            Abort("the session was resumed on another connection");
        }

        try
        {
            await quiesced.Task.WaitAsync(2 * _context.Limits.CloseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return SessionHandOver.NotFound;
        }

        var outcome = sm.Unacked.Acknowledge(acknowledged);
        if (outcome != AckOutcome.Accepted)
        {
            // mod_smacks: the resumption fails and the session ends, what it held going back to the account.
            var sent = sm.Unacked.Sent;
            EndHibernation();
            return SessionHandOver.AckOutOfRange(sm.Handled, sent);
        }

        if (Interlocked.CompareExchange(ref _lifecycle, HandedOver, Hibernating) != Hibernating)
        {
            return SessionHandOver.NotFound; // it ended meanwhile
        }

        var unacknowledged = TakeUnacknowledged(sm);
        List<Element> pending = _toAccount?.TakeWaiting() ?? [];
        _ = LeaveAfterHandOverAsync();
        return new SessionHandOver(HandOverStatus.HandedOver, sm.Handled, acknowledged, unacknowledged, pending);
    }

    /// <summary>Handed over: this object goes; what still reaches it goes back to the account, which passes it on.</summary>
    private async Task LeaveAfterHandOverAsync()
    {
        try
        {
            await HandBackRemainingAsync();
        }
        finally
        {
            _context.Tracker.Forget(this);
            if (_listedAs is not null)
            {
                _context.Directory.Unregister(_listedAs, _observer!);
            }

            _context.Grains.DeleteObjectReference<ISessionObserver>(_observer!);
        }
    }

    /// <summary>
    /// The unacknowledged stanzas leave the session (it ends, or is handed over), oldest first. As
    /// mod_smacks, messages and presence carry when they were first sent (XEP-0203, from the
    /// account): whoever gets them now (the client again, another resource, offline storage) sees
    /// they were delayed. A copy is stamped; the stanza itself may be shared.
    /// </summary>
    private List<Element> TakeUnacknowledged(StreamManagementState sm)
    {
        var unacked = sm.Unacked.TakeAll();
        var stamped = new List<Element>(unacked.Count);
        if (unacked.Count == 0)
        {
            return stamped;
        }

        var now = DateTimeOffset.UtcNow;
        var tick = Environment.TickCount64;
        var from = Jid!.Bare.ToString();
        foreach (var (stanza, sentAt) in unacked)
        {
            if (stanza.Name == Stanza.Iq || stanza.Child("delay", Namespaces.Delay) is not null)
            {
                stamped.Add(stanza);
                continue;
            }

            var copy = stanza.CloneWithoutNodes();
            copy.Add(stanza.Nodes);
            copy.Add(Delay.Create(from, now - TimeSpan.FromMilliseconds(tick - sentAt)));
            stamped.Add(copy);
        }

        return stamped;
    }
}
