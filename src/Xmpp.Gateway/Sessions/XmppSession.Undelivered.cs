using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xmpp.Grains;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Users;

namespace Xmpp.Gateway.Sessions;

// Nothing queued for a client vanishes when its session ends: a stanza that will never be written
// (queued after the close began, behind the close marker, held back from a client that stopped
// reading) or that was written into a flush that did not complete goes back to the account at
// unbind, which handles it as undeliverable (RFC 6121 §8: other sessions or offline storage for
// messages, an error for requests). A stanza cut off mid-write may thus reach the client and be
// stored too: a duplicate rather than a loss, as with stream management's resends (XEP-0198).
internal sealed partial class XmppSession
{
    // Allocated only when a session ends with something undelivered: most never do.
    private ConcurrentQueue<Element>? _undelivered;

    // Once the account was told (the unbind), later ones follow it in order, batched.
    private volatile OrderedDelivery<Element>? _lateReturns;

    // Items of the writer's current round: written to the transport, not yet flushed. Rented
    // from the pool per round, so an idle session holds no array.
    private OutboundItem[]? _inFlight;
    private int _inFlightCount;

    /// <summary>
    /// The item will never be written: its stanzas go back to the account, or, with stream
    /// management counting, wait with the unacknowledged ones (for a resumption, or to go back with
    /// them when the session ends).
    /// </summary>
    private void Undeliverable(in OutboundItem item)
    {
        if (item.Kind != OutboundKind.Stanzas)
        {
            return;
        }

        foreach (var stanza in StanzasOf(item))
        {
            if (_sm is { Counting: true } sm)
            {
                CountUnacknowledged(sm, stanza);
            }
            else
            {
                ReturnToAccount(stanza);
            }
        }
    }

    /// <summary>
    /// The stanzas of a <see cref="OutboundKind.Stanzas"/> item that did not get through (this is the
    /// rare path). Not the nonzas replies queue with them (a stream management <c>&lt;a/&gt;</c> or
    /// <c>&lt;failed/&gt;</c>): they answer this connection only, and counted as unacknowledged
    /// they would put the session's count ahead of its client's.
    /// </summary>
    private static IEnumerable<Element> StanzasOf(in OutboundItem item)
    {
        IReadOnlyList<Element> elements = item.Single is { } single ? [single] : item.Batch!;
        return elements.Where(Stanza.IsStanza);
    }

    /// <summary>The stanza goes back to the account, now or with the unbind.</summary>
    private void ReturnToAccount(Element stanza)
    {
        LazyInitializer.EnsureInitialized(ref _undelivered).Enqueue(stanza);
        if (_lateReturns is { } late && Drain() is { Count: > 0 } taken)
        {
            late.TryEnqueue(taken); // the account was told already: these follow
        }
    }

    /// <summary>
    /// Once the writer is done (and the account was told of the unbind): what did not get through
    /// since goes back in one call; stragglers after that follow in calls of their own, batched.
    /// </summary>
    private async Task HandBackRemainingAsync()
    {
        if (_user is not { } user || _resource is not { } resource || _observer is not { } observer)
        {
            return; // never bound: no grain sent this session anything
        }

        _lateReturns = new OrderedDelivery<Element>(
            late => user.UnbindAsync(resource, observer, late),
            (late, e) => Logger.LogWarning(e, "{Count} stanzas that did not reach {Jid} could not be handed back to its account", late.Count, _fullJid),
            sizeOf: ElementSize.Estimate);
        var remaining = Drain();
        if (remaining.Count > 0)
        {
            _lateReturns.TryEnqueue(remaining);
        }

        try
        {
            await _lateReturns.WhenDrainedAsync().WaitAsync(_context.Limits.CloseTimeout);
        }
        catch (TimeoutException)
        {
            Logger.LogWarning("The undelivered stanzas of {Jid} did not reach its account within {Limit}", _fullJid, _context.Limits.CloseTimeout);
        }
    }

    /// <summary>
    /// What will not be delivered so far (for the unbind that tells the account, or to follow it):
    /// what the client did not acknowledge first, in the order it was sent.
    /// </summary>
    private List<Element> Drain()
    {
        var taken = _sm is { } sm ? TakeUnacknowledged(sm) : [];
        if (_undelivered is { } queue)
        {
            while (queue.TryDequeue(out var stanza))
            {
                taken.Add(stanza);
            }
        }

        return taken;
    }

    /// <summary>The writer wrote the item into the current round (with stream management counting, the unacknowledged stanzas cover it).</summary>
    private void TrackInFlight(in OutboundItem item)
    {
        if (item.Kind != OutboundKind.Stanzas || _sm is { Counting: true })
        {
            return;
        }

        if (_inFlight is null || _inFlightCount == _inFlight.Length)
        {
            var larger = ArrayPool<OutboundItem>.Shared.Rent(Math.Max(16, _inFlightCount * 2));
            if (_inFlight is { } old)
            {
                old.AsSpan(0, _inFlightCount).CopyTo(larger);
                ReturnInFlightArray(old, _inFlightCount);
            }

            _inFlight = larger;
        }

        _inFlight[_inFlightCount++] = item;
    }

    /// <summary>The round's flush completed (true: the items reached the socket) or failed (false: they go back).</summary>
    private void EndRound(bool flushed)
    {
        if (_inFlight is not { } items)
        {
            return;
        }

        if (!flushed)
        {
            for (var i = 0; i < _inFlightCount; i++)
            {
                foreach (var stanza in StanzasOf(items[i]))
                {
                    ReturnToAccount(stanza); // written before stream management counted: never with the unacknowledged
                }
            }
        }

        _inFlight = null;
        ReturnInFlightArray(items, _inFlightCount);
        _inFlightCount = 0;
    }

    /// <summary>Everything still queued behind the close (or after the writer's last round) goes back.</summary>
    private void ReturnQueued(OutboundQueue queue)
    {
        while (queue.TryRead(out var item))
        {
            Release(item.Size, 1);
            Undeliverable(item);
        }
    }

    private static void ReturnInFlightArray(OutboundItem[] items, int count)
    {
        items.AsSpan(0, count).Clear(); // no stanzas kept alive by the pool
        ArrayPool<OutboundItem>.Shared.Return(items);
    }
}
