namespace Xmpp.Gateway.Sessions;

// Timeouts and keepalives, driven by the tracker's shared heartbeat instead of a timer per
// connection: idle (no bytes received) and negotiation timeouts end the stream with
// connection-timeout (a resumable session's connection is dropped instead, and it hibernates);
// whitespace pings keep NATs open (RFC 6120 §4.6.1); stream management asks for acknowledgements
// that are overdue; a close that hangs is aborted; a client that takes nothing of an output over
// the send bound is a slow reader.
internal sealed partial class XmppSession
{
    private readonly long _startedAt;
    private long _lastReceivedAt;
    private long _lastSentAt;
    private bool _aborted;

    internal void OnHeartbeat(long now)
    {
        var limits = _context.Limits;
        var closeRequestedAt = Volatile.Read(ref _closeRequestedAt);
        if (closeRequestedAt != 0)
        {
            if (!_aborted && now - closeRequestedAt > 2 * (long)limits.CloseTimeout.TotalMilliseconds)
            {
                Abort("close timed out");
            }

            return;
        }

        if (_state != NegotiationState.Bound && limits.NegotiationTimeout > TimeSpan.Zero
            && now - _startedAt > (long)limits.NegotiationTimeout.TotalMilliseconds)
        {
            RequestClose(new StreamError(StreamError.ConnectionTimeout, "Stream negotiation took too long"));
            return;
        }

        if (limits.IdleTimeout > TimeSpan.Zero && now - Volatile.Read(ref _lastReceivedAt) > (long)limits.IdleTimeout.TotalMilliseconds)
        {
            if (_sm is { Resumable: true })
            {
                // Most likely a connection that died without a word (a phone that left its
                // network): dropped like one, so that the session waits to be resumed.
                _peerGone = true;
                RequestClose(PeerGone);
                Abort("no data received for too long");
            }
            else
            {
                RequestClose(new StreamError(StreamError.ConnectionTimeout, "No data received for too long"));
            }

            return;
        }

        RequestAckIfWaited(now);

        // One batch over the send bound goes out when nothing else waits (an event's stanzas stay
        // together): a client that takes none of it for the stall timeout is cut off as if over
        // the bound, so that nothing holds a session's memory for long.
        if (PendingSendBytes > limits.MaxPendingSendBytes && limits.SendStallTimeout > TimeSpan.Zero
            && now - Volatile.Read(ref _lastSentAt) > (long)limits.SendStallTimeout.TotalMilliseconds)
        {
            OnSendQueueOverflow(PendingSendBytes, Volatile.Read(ref _pendingBatches));
            return;
        }

        if (limits.WhitespacePingInterval > TimeSpan.Zero && _outbound is not null
            && now - Volatile.Read(ref _lastSentAt) > (long)limits.WhitespacePingInterval.TotalMilliseconds)
        {
            Volatile.Write(ref _lastSentAt, now);
            Enqueue(OutboundItem.Keepalive);
        }
    }
}
