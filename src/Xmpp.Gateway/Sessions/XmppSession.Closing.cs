using Microsoft.Extensions.Logging;

namespace Xmpp.Gateway.Sessions;

// Ending a stream (RFC 6120 §4.4, §4.9): whoever decides to close records the reason once; the
// current owner of the output writes the stream error (if any) and </stream:stream>, flushes
// within the close timeout, and the session unbinds. Anything that takes longer is aborted.
internal sealed partial class XmppSession
{
    /// <summary>Reason for a close without error: the client ended its stream (or TLS negotiation failed politely).</summary>
    private static readonly StreamError OrderlyClose = new("orderly-close");

    /// <summary>Reason when the connection is gone: nothing can be written any more.</summary>
    private static readonly StreamError PeerGone = new("peer-gone");

    private StreamError? _closeReason;
    private long _closeRequestedAt;

    /// <summary>A close was requested (for tests and diagnostics).</summary>
    internal bool IsClosing => _closeReason is not null;

    /// <summary>ISessionObserver: ends the session with a stream error (e.g. conflict, system-shutdown). Never blocks.</summary>
    public Task CloseAsync(StreamError error)
    {
        Close(error);
        return Task.CompletedTask;
    }

    /// <summary>Ends the session with a stream error (shutdown, the server's own limits), or ends its hibernation. Never blocks.</summary>
    internal void Close(StreamError error)
    {
        RequestClose(error);
        EndHibernation();
    }

    /// <summary>Drops the connection at once, without a goodbye (a close that hangs, a server that cannot wait longer).</summary>
    internal void Abort(string reason)
    {
        _aborted = true;
        _transport.Abort(reason);
    }

    /// <summary>Records the first close reason and wakes the reader and the writer; later reasons are ignored.</summary>
    private void RequestClose(StreamError reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        Volatile.Write(ref _closeRequestedAt, Environment.TickCount64);
        Volatile.Read(ref _outbound)?.TryWrite(OutboundItem.Close);
        _transport.CancelPendingRead();
    }

    /// <summary>
    /// Writes the final stream error and close tag, by the output's current owner; false when they
    /// (and whatever was written before them) did not go out: the connection is gone or too slow.
    /// </summary>
    private async Task<bool> WriteCloseAsync()
    {
        var reason = _closeReason;
        if (reason is null)
        {
            return true;
        }

        if (ReferenceEquals(reason, PeerGone) || _peerGone)
        {
            return false;
        }

        // §4.9.1.2: an error before our header still gets our header first.
        if (!_headerSent)
        {
            WriteHeader(to: null);
        }

        if (_sm is { } sm)
        {
            _transport.WriteElement(sm.Ack()); // XEP-0198 §7, as mod_smacks: the client learns what we handled
        }

        if (!ReferenceEquals(reason, OrderlyClose))
        {
            _transport.WriteElement(reason.ToElement());
        }

        _transport.WriteStreamClose();
        using var timeout = new CancellationTokenSource(_context.Limits.CloseTimeout);
        if (!await _transport.FlushAsync(timeout.Token).ConfigureAwait(false))
        {
            Abort("the client did not take the closing stream in time");
            return false;
        }

        return true;
    }

    private async Task FinishAsync()
    {
        RequestClose(PeerGone); // no-op when a reason is set; else the loop ended because the peer vanished
        EndClientState();

        // The account learns at once, while the last output goes out: it stops sending here, and
        // what does not get through follows the unbind back to it (XmppSession.Undelivered). A
        // session that may hibernate decides once its output stopped (XmppSession.Hibernation).
        var mayHibernate = MayHibernate;
        if (!mayHibernate)
        {
            EndWithConnection();
        }

        var unbinding = mayHibernate ? ValueTask.CompletedTask : UnbindAsync();
        try
        {
            if (_writerTask is not null)
            {
                _outbound!.Complete();
                try
                {
                    await _writerTask.WaitAsync(_context.Limits.CloseTimeout + TimeSpan.FromSeconds(1));
                }
                catch (TimeoutException)
                {
                    Abort("the writer did not finish in time");
                }

                ReturnQueued(_outbound); // queued after the writer's last look
            }
            else
            {
                await WriteCloseAsync();
            }
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            _peerGone = true;
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Closing session {Session} failed", this);
            Abort("close failed");
        }

        if (mayHibernate)
        {
            if (await TryHibernateAsync())
            {
                return;
            }

            EndWithConnection();
            unbinding = UnbindAsync();
        }

        // What the writer could not write goes back to the account; the socket may linger a
        // little for the client's close.
        await unbinding;
        await HandBackRemainingAsync();
        try
        {
            // §4.4: the side that closes first waits for the other's close; if the client closed
            // first, both streams are done and the connection can end now.
            if (!_peerGone && !_aborted && !_peerClosedStream && !ReferenceEquals(_closeReason, PeerGone))
            {
                await _transport.DrainAsync(_context.Limits.CloseTimeout);
            }

            await _transport.CompleteAsync();
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            // The connection is already gone.
        }

        var reason = _closeReason!;
        if (ReferenceEquals(reason, OrderlyClose) || ReferenceEquals(reason, PeerGone) || reason.Condition == StreamError.SystemShutdown)
        {
            Logger.LogDebug("Session {Session} ended", this); // a shutdown is logged once, by the tracker
        }
        else
        {
            Logger.LogInformation("Session {Session} closed with the stream error {Error}", this, reason);
        }
    }
}
