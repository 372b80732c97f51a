using Microsoft.Extensions.Logging;

namespace Xmpp.Gateway.Sessions;

// The writer (after bind): one loop per session drains the send queue, serializes every batch that
// is waiting into the transport and flushes once, so bursts coalesce into few socket writes. Each
// Send() batch is written contiguously. The queue is bounded by bytes and batches: a client that
// does not read is disconnected instead of buffered without limit, and what it did not get goes
// back to its account (XmppSession.Undelivered). The loop may run on the thread of the grain that
// queued its work (OutboundQueue), so every await on its path is ConfigureAwait(false).
internal sealed partial class XmppSession
{
    private OutboundQueue? _outbound;
    private Task? _writerTask;
    private long _pendingBytes;
    private int _pendingBatches;
    private volatile bool _stopWriting; // the client does not read: nothing more is written, queued stanzas go back

    /// <summary>Estimated bytes queued and not yet flushed (for tests and diagnostics).</summary>
    internal long PendingSendBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>Socket writes (flushes) the writer made so far (for tests and diagnostics).</summary>
    internal int Writes => Volatile.Read(ref _writes);

    private int _writes;
    private int _sendQueueOverflowed;

    /// <summary>ISessionObserver: queues the stanzas of one event; never blocks the calling grain.</summary>
    public Task SendAsync(IReadOnlyList<Element> stanzas)
    {
        if (stanzas.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (Volatile.Read(ref _clientState) is null)
        {
            Enqueue(new OutboundItem(OutboundKind.Stanzas, stanzas, null, ElementSize.Estimate(stanzas)));
        }
        else
        {
            SendThroughClientState(stanzas); // the client is inactive (XEP-0352)
        }

        return Task.CompletedTask;
    }

    private void Enqueue(in OutboundItem item)
    {
        if (_closeReason is not null)
        {
            Undeliverable(item); // closing (or hibernating): nothing more goes out
            return;
        }

        var outbound = _outbound;
        if (outbound is null)
        {
            return; // not bound yet: no grain knows this session
        }

        var bytes = Interlocked.Add(ref _pendingBytes, item.Size);
        var batches = Interlocked.Increment(ref _pendingBatches);
        var limits = _context.Limits;

        // One batch larger than the limit still goes out when nothing else is waiting.
        if ((bytes > limits.MaxPendingSendBytes || batches > limits.MaxPendingSendBatches) && batches > 1)
        {
            Interlocked.Add(ref _pendingBytes, -item.Size);
            Interlocked.Decrement(ref _pendingBatches);
            OnSendQueueOverflow(bytes, batches);
            Undeliverable(item);
            return;
        }

        if (!outbound.TryWrite(item))
        {
            Interlocked.Add(ref _pendingBytes, -item.Size);
            Interlocked.Decrement(ref _pendingBatches);
            Undeliverable(item);
        }
    }

    /// <summary>
    /// The client reads too slowly: nothing more is written but the stream error, which goes out
    /// if the client takes what is in flight within the close timeout (else the connection is
    /// dropped); what it did not get goes back to its account.
    /// </summary>
    private void OnSendQueueOverflow(long bytes, int batches)
    {
        if (Interlocked.Exchange(ref _sendQueueOverflowed, 1) == 1)
        {
            return; // the writer and the heartbeat may both find it; it is one drop
        }

        Logger.LogInformation("{Jid} does not read ({Bytes} bytes in {Batches} batches queued); disconnecting", _fullJid, bytes, batches);
        _context.Metrics.SendQueueDropped();
        _stopWriting = true;
        RequestClose(new StreamError(StreamError.ResourceConstraint, "Too much unread data queued for this connection"));
    }

    private void StartWriter()
    {
        if (_outbound is not null)
        {
            return;
        }

        // Negotiation output not flushed yet (a pipelined header + bind) stays in the transport's
        // buffer, ahead of anything the writer adds, and goes out with the writer's first flush.
        _negotiationOutputPending = false;
        StartWriter(OpenOutbound());
    }

    /// <summary>The writer takes over the output, with what <paramref name="queue"/> holds already.</summary>
    private void StartWriter(OutboundQueue queue) => _writerTask = WriteLoopAsync(queue);

    /// <summary>The send queue, from now on taking what is sent to this session (the writer may start later).</summary>
    private OutboundQueue OpenOutbound()
    {
        var queue = new OutboundQueue();
        Volatile.Write(ref _outbound, queue);
        if (_closeReason is not null)
        {
            queue.TryWrite(OutboundItem.Close); // a close that raced the start
        }

        return queue;
    }

    private async Task WriteLoopAsync(OutboundQueue reader)
    {
        await Task.Yield(); // leave the read loop running; the writer lives on the thread pool
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                long bytes = 0;
                var batches = 0;
                var closing = false;
                while (reader.TryRead(out var item))
                {
                    if (item.Kind == OutboundKind.Close)
                    {
                        closing = true;
                        break;
                    }

                    bytes += item.Size;
                    batches++;
                    if (_stopWriting)
                    {
                        Undeliverable(item);
                    }
                    else
                    {
                        Write(item);
                        TrackInFlight(item);
                    }
                }

                if (closing)
                {
                    Release(bytes, batches);
                    ReturnQueued(reader);
                    EndRound(await WriteCloseAsync().ConfigureAwait(false));
                    return;
                }

                RequestAckIfDue(StreamManagementOptions.RequestAfterStanzas); // after what this round wrote, in its flush
                var flushed = await _transport.FlushAsync().ConfigureAwait(false);
                Volatile.Write(ref _writes, _writes + 1); // the writer is this session's only one
                EndRound(flushed);
                Volatile.Write(ref _lastSentAt, Environment.TickCount64);
                Release(bytes, batches);
                if (!flushed && _closeReason is null)
                {
                    _peerGone = true;
                    RequestClose(PeerGone);
                }
            }
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            _transport.Abort("write failed");
            EndRound(flushed: false);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Writer of {Jid} failed", _fullJid);
            _transport.Abort("writer failed");
            EndRound(flushed: false);
        }
    }

    private void Write(in OutboundItem item)
    {
        switch (item.Kind)
        {
            case OutboundKind.Keepalive:
                _transport.WriteKeepalive();
                break;
            case OutboundKind.Stanzas when item.Single is not null:
                WriteStanza(item.Single);
                break;
            case OutboundKind.Stanzas:
                var batch = item.Batch!;
                for (var i = 0; i < batch.Count; i++)
                {
                    WriteStanza(batch[i]);
                }

                break;
            case OutboundKind.StreamManagementEnabled:
                _transport.WriteElement(item.Single!);
                _sm!.Counting = true;
                break;
            case OutboundKind.AckRequest:
                RequestAckIfDue(threshold: 1);
                break;
        }
    }

    private void WriteStanza(Element stanza)
    {
        _transport.WriteElement(stanza);
        _context.Metrics.StanzaOut(stanza);
        CountWritten(stanza);
    }

    private void Release(long bytes, int batches)
    {
        Interlocked.Add(ref _pendingBytes, -bytes);
        Interlocked.Add(ref _pendingBatches, -batches);
    }
}
