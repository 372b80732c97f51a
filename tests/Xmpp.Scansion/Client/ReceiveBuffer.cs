namespace Xmpp.Scansion.Client;

/// <summary>
/// What one client's socket has delivered, and the emulation of how the original (Lua) runner
/// would have read it (SCANSION.md "Order, timing and stanzas nobody asked for").
/// <para>
/// The original keeps a client's socket unread except while a <c>receives</c> waits. A read takes
/// one chunk of at most 8 KiB and parses every complete stanza in it: the first goes to the waiting
/// <c>receives</c>, the next ones to immediately following <c>receives</c> of the same client, and
/// the rest of the chunk is dropped as soon as the script does anything else. Here a background
/// reader records every stanza with its end offset in the byte stream, the network read it came
/// in and when; <see cref="ReceiveAsync"/> then cuts the chunk the original would have read: the
/// bytes that had arrived before the previous action finished (they would have waited in the socket
/// buffer), or else the next network read, capped at 8 KiB from the read position.
/// </para>
/// <para>
/// Thread-safety: <see cref="OnRead"/> and <see cref="OnClosed"/> are called by the reader task,
/// everything else by the script; a lock guards the shared lists.
/// </para>
/// </summary>
public sealed class ReceiveBuffer
{
    /// <summary>The original runner's read size.</summary>
    public const int ChunkBytes = 8192;

    private readonly Lock _gate = new();
    private readonly List<ReceivedStanza> _stanzas = [];
    private readonly List<NetworkRead> _reads = [];
    private readonly Queue<ReceivedStanza> _chunk = new();
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();
    private int _next; // index in _stanzas of the first stanza past the read position
    private long _readPosition;
    private bool _closed;

    public ReceiveBuffer(long startOffset, TimeProvider? time = null)
    {
        _readPosition = startOffset;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Bytes the emulated original runner has taken from the socket so far.</summary>
    public long ReadPosition
    {
        get
        {
            lock (_gate)
            {
                return _readPosition;
            }
        }
    }

    /// <summary>Stanzas of the current chunk not yet handed to a <c>receives</c>.</summary>
    public int PendingInChunk
    {
        get
        {
            lock (_gate)
            {
                return _chunk.Count;
            }
        }
    }

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Records a network read: it ended at <paramref name="endOffset"/> of the byte stream at
    /// <paramref name="arrivedAt"/> and completed <paramref name="stanzas"/> (with their end offsets).
    /// </summary>
    public void OnRead(long readNumber, long endOffset, long arrivedAt, IReadOnlyList<(Protocol.Xml.Element Stanza, long EndOffset)> stanzas)
    {
        ArgumentNullException.ThrowIfNull(stanzas);
        TaskCompletionSource changed;
        lock (_gate)
        {
            _reads.Add(new NetworkRead(readNumber, endOffset, arrivedAt));
            foreach (var (stanza, end) in stanzas)
            {
                _stanzas.Add(new ReceivedStanza(stanza, end, readNumber, arrivedAt));
            }

            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>The connection has ended: no more reads will come.</summary>
    public void OnClosed()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _closed = true;
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>
    /// The script did something other than an immediately following <c>receives</c> on this client:
    /// the rest of the current chunk is gone, as in the original runner.
    /// </summary>
    public IReadOnlyList<ReceivedStanza> DropChunk()
    {
        lock (_gate)
        {
            var dropped = _chunk.ToList();
            _chunk.Clear();
            return dropped;
        }
    }

    /// <summary>
    /// The next stanza a <c>receives</c> gets: the next of the current chunk when the previous
    /// action was a <c>receives</c> on this client that left some; else the first of a new chunk.
    /// <paramref name="previousActionFinished"/> is the <see cref="TimeProvider"/> timestamp when the
    /// previous action finished: what had arrived by then would have waited in the socket buffer.
    /// </summary>
    public async Task<(ReceiveOutcome Outcome, ReceivedStanza? Stanza)> ReceiveAsync(long previousActionFinished, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        var buffered = true; // the first read takes what waited in the buffer, if anything did
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_chunk.TryDequeue(out var pending))
                {
                    return (ReceiveOutcome.Stanza, pending);
                }

                var chunkEnd = buffered ? BufferedEnd(previousActionFinished) : null;
                chunkEnd ??= NextReadEnd();
                buffered = false;
                if (chunkEnd is { } end)
                {
                    TakeChunk(Math.Min(end, _readPosition + ChunkBytes));
                    if (_chunk.TryDequeue(out var first))
                    {
                        return (ReceiveOutcome.Stanza, first);
                    }

                    continue; // a read with only part of a stanza: the original reads on
                }

                if (_closed)
                {
                    return (ReceiveOutcome.Closed, null);
                }

                changed = _changed.Task;
            }

            var remaining = deadline - _time.GetTimestamp();
            if (remaining <= 0)
            {
                return (ReceiveOutcome.TimedOut, null);
            }

            var wait = TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency);
            try
            {
                await changed.WaitAsync(wait, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return (ReceiveOutcome.TimedOut, null);
            }
        }
    }

    /// <summary>Stanzas recorded but never handed to a <c>receives</c> nor dropped: for diagnostics.</summary>
    public IReadOnlyList<ReceivedStanza> Unread()
    {
        lock (_gate)
        {
            return _stanzas.Skip(_next).ToList();
        }
    }

    // The end of the bytes past the read position that had arrived by `before`, or null if none had.
    private long? BufferedEnd(long before)
    {
        long? end = null;
        foreach (var read in _reads)
        {
            if (read.ArrivedAt <= before && read.EndOffset > _readPosition)
            {
                end = read.EndOffset;
            }
        }

        return end;
    }

    // The end of the first network read that brought bytes past the read position, or null.
    private long? NextReadEnd()
    {
        foreach (var read in _reads)
        {
            if (read.EndOffset > _readPosition)
            {
                return read.EndOffset;
            }
        }

        return null;
    }

    private void TakeChunk(long end)
    {
        while (_next < _stanzas.Count && _stanzas[_next].EndOffset <= end)
        {
            _chunk.Enqueue(_stanzas[_next]);
            _next++;
        }

        _readPosition = end;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct NetworkRead(long Number, long EndOffset, long ArrivedAt);
}
