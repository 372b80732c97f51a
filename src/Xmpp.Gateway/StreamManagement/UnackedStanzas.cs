namespace Xmpp.Gateway.StreamManagement;

/// <summary>
/// The stanzas written to (or held for) a client that it has not acknowledged yet (XEP-0198 §4),
/// oldest first, and the count its <c>h</c> refers to. Counts are unsigned 32-bit and wrap from
/// 2^32 - 1 to 0, as the XEP says, so every comparison is made on differences. Used by the writer
/// (which adds what it writes), the read loop (which applies the client's acks) and the heartbeat,
/// hence the lock; it is never held across anything but these few lines.
/// </summary>
internal sealed class UnackedStanzas
{
    private readonly Lock _lock = new();
    private readonly Queue<Unacked> _stanzas = new(); // no storage until the first stanza
    private uint _acknowledged;
    private bool _awaitingAck;
    private uint? _lastRequested; // what was sent when we last asked
    private bool _taken;

    /// <param name="acknowledged">The client's last <c>h</c>: 0 for a new session, where a resumed one left off otherwise.</param>
    public UnackedStanzas(uint acknowledged = 0) => _acknowledged = acknowledged;

    /// <summary>How many stanzas wait for an acknowledgement.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _stanzas.Count;
            }
        }
    }

    /// <summary>The client's last <c>h</c>.</summary>
    public uint Acknowledged
    {
        get
        {
            lock (_lock)
            {
                return _acknowledged;
            }
        }
    }

    /// <summary>The <c>h</c> the client would acknowledge had it handled everything: stanzas counted so far.</summary>
    public uint Sent
    {
        get
        {
            lock (_lock)
            {
                return unchecked(_acknowledged + (uint)_stanzas.Count);
            }
        }
    }

    /// <summary>Counts a stanza as sent, and says how many are unacknowledged now; false once the stanzas were taken (<see cref="TakeAll"/>).</summary>
    public bool TryAdd(Element stanza, long sentAt, out int count)
    {
        lock (_lock)
        {
            count = _stanzas.Count;
            if (_taken)
            {
                return false;
            }

            _stanzas.Enqueue(new Unacked(stanza, sentAt));
            count++;
            return true;
        }
    }

    /// <summary>
    /// The client's <c>&lt;a h/&gt;</c>: the stanzas up to <paramref name="h"/> leave the queue, and
    /// a request may be made again. An <c>h</c> beyond what was sent, or behind what was already
    /// acknowledged, changes nothing and says which.
    /// </summary>
    public AckOutcome Acknowledge(uint h)
    {
        lock (_lock)
        {
            var outcome = Check(_acknowledged, h, _stanzas.Count);
            if (outcome == AckOutcome.Accepted)
            {
                for (var n = unchecked(h - _acknowledged); n > 0; n--)
                {
                    _stanzas.Dequeue();
                }

                _acknowledged = h;
                _awaitingAck = false;
            }

            return outcome;
        }
    }

    /// <summary>
    /// Whether <paramref name="h"/> can acknowledge a queue whose last acknowledged count is
    /// <paramref name="acknowledged"/> and which holds <paramref name="count"/> stanzas: it must lie
    /// between the two, modulo 2^32. Behind means the difference wrapped past half the range.
    /// </summary>
    public static AckOutcome Check(uint acknowledged, uint h, int count)
    {
        var ahead = unchecked(h - acknowledged);
        if (ahead <= (uint)count)
        {
            return AckOutcome.Accepted;
        }

        return ahead > int.MaxValue ? AckOutcome.BehindAcknowledged : AckOutcome.BeyondSent;
    }

    /// <summary>
    /// Whether to ask for an acknowledgement now: at least <paramref name="threshold"/> stanzas wait,
    /// no request is outstanding, and something was sent since the last one. One at a time, as
    /// mod_smacks: a client that is slow to answer, or answers with less than was sent when it was
    /// asked, is not asked again and again. True marks a request as outstanding.
    /// </summary>
    public bool TryStartRequest(int threshold)
    {
        lock (_lock)
        {
            var sent = unchecked(_acknowledged + (uint)_stanzas.Count);
            if (_awaitingAck || _stanzas.Count < Math.Max(threshold, 1) || sent == _lastRequested)
            {
                return false;
            }

            _awaitingAck = true;
            _lastRequested = sent;
            return true;
        }
    }

    /// <summary>A request goes out whatever waits (mod_smacks after a resumption): it is outstanding from now on.</summary>
    public void StartRequest()
    {
        lock (_lock)
        {
            _awaitingAck = true;
            _lastRequested = unchecked(_acknowledged + (uint)_stanzas.Count);
        }
    }

    /// <summary>
    /// When the oldest unacknowledged stanza was counted (<see cref="Environment.TickCount64"/>);
    /// null when there is nothing to ask about (<see cref="TryStartRequest"/> would refuse).
    /// </summary>
    public long? OldestUnrequested()
    {
        lock (_lock)
        {
            return !_awaitingAck && _stanzas.TryPeek(out var oldest) && unchecked(_acknowledged + (uint)_stanzas.Count) != _lastRequested
                ? oldest.SentAt
                : null;
        }
    }

    /// <summary>
    /// Empties the queue for good, oldest first: what the client may not have, when the session ends
    /// or is handed over. Nothing is added afterwards (<see cref="TryAdd"/>), so nothing can be left
    /// behind in a queue nobody reads any more.
    /// </summary>
    public List<Unacked> TakeAll()
    {
        lock (_lock)
        {
            _taken = true;
            var taken = new List<Unacked>(_stanzas.Count);
            while (_stanzas.TryDequeue(out var stanza))
            {
                taken.Add(stanza);
            }

            return taken;
        }
    }
}

/// <summary>A stanza waiting for its acknowledgement, and when it was counted (<see cref="Environment.TickCount64"/>).</summary>
internal readonly record struct Unacked(Element Stanza, long SentAt);

/// <summary>What an acknowledgement did.</summary>
internal enum AckOutcome
{
    Accepted,

    /// <summary>It acknowledged more than was sent (XEP-0198 §4: <c>handled-count-too-high</c>).</summary>
    BeyondSent,

    /// <summary>It acknowledged less than was acknowledged before.</summary>
    BehindAcknowledged,
}
