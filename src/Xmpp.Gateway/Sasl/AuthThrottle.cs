using System.Net;
using Microsoft.Extensions.Options;

namespace Xmpp.Gateway.Sasl;

/// <summary>
/// Failed-login bookkeeping per remote address. Below the threshold nothing happens; beyond it the
/// address is refused (<c>temporary-auth-failure</c>) for a period that doubles with every further
/// failure, up to a maximum. A quiet address is forgotten after the failure window.
/// </summary>
public sealed class AuthThrottle
{
    private readonly AddressTable<Entry> _entries;
    private readonly GatewayAuthOptions _options;
    private readonly TimeProvider _time;

    public AuthThrottle(IOptions<GatewayOptions> options, TimeProvider time)
    {
        _options = options.Value.Auth;
        _time = time;
        _entries = new(IsQuiet);
    }

    /// <summary>Whether the address is being refused now, and until when.</summary>
    public bool IsBlocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address is null || !_entries.TryGet(address, out var entry))
        {
            return false;
        }

        lock (entry)
        {
            var now = _time.GetUtcNow();
            if (entry.BlockedUntil <= now)
            {
                return false;
            }

            retryAfter = entry.BlockedUntil - now;
            return true;
        }
    }

    /// <summary>Counts a failed login from the address; returns how long the address is now blocked for, if this failure blocked it.</summary>
    public TimeSpan? RecordFailure(IPAddress? address)
    {
        if (address is null || _options.AddressFailureThreshold <= 0)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (!_entries.TryGet(address, out var entry))
        {
            if (_entries.IsFull)
            {
                return null; // not tracked: it still meets the per-connection limit
            }

            entry = _entries.GetOrAdd(address, () => new Entry());
        }

        lock (entry)
        {
            if (now - entry.LastFailure > _options.AddressFailureWindow)
            {
                entry.Failures = 0;
            }

            entry.Failures++;
            entry.LastFailure = now;
            var excess = entry.Failures - _options.AddressFailureThreshold;
            if (excess >= 0)
            {
                // base · 2^excess, capped; the shift is bounded so it cannot overflow.
                var factor = 1L << Math.Min(excess, 30);
                var ticks = Math.Min(_options.AddressBlockBase.Ticks * factor, _options.AddressBlockMax.Ticks);
                entry.BlockedUntil = now + TimeSpan.FromTicks(Math.Max(ticks, 0));
                return entry.BlockedUntil - now;
            }

            return null;
        }
    }

    /// <summary>Forgets addresses that have been quiet for the failure window (called by the heartbeat).</summary>
    public void Sweep() => _entries.Sweep(_time.GetUtcNow());

    private bool IsQuiet(Entry entry, DateTimeOffset now) =>
        now - entry.LastFailure > _options.AddressFailureWindow && entry.BlockedUntil <= now;

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset BlockedUntil;
    }
}
