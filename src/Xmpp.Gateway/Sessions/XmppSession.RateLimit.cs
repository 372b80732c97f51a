using Microsoft.Extensions.Logging;
using Xmpp.Gateway.Transport;
using Xmpp.Grains;
using Xmpp.Grains.Diagnostics;

namespace Xmpp.Gateway.Sessions;

// The inbound rate limits. Past them a connection is read more slowly, which slows its client down
// through flow control and delays nobody else; a client that never lets up for HardLimitAfter is
// disconnected. Two limits: the connection's bytes (Gateway:RateLimits, as Prosody's mod_limits),
// and its account's stanzas across all its sessions (Xmpp:Limits:StanzasPerSecond), which the
// account's grain keeps and the session takes from in leases before it hands stanzas on.
internal sealed partial class XmppSession
{
    private static readonly TimeSpan ThrottleStep = TimeSpan.FromMilliseconds(100);

    private TokenBucket? _inboundThrottle; // null: no limit (none configured, or an administrator)
    private int _inboundRate;
    private long _bytesCharged;
    private int _stanzaLease; // stanzas taken from the account's rate at a time; 0: no account rate (none configured, or an administrator)
    private int _stanzasLeft; // of the current lease

    // When each limit's current unbroken holding back began (TickCount64; 0 when not holding back),
    // and whether it has been logged for this session.
    private long _bytesHeldSince;
    private long _stanzasHeldSince;
    private bool _bytesHoldLogged;
    private bool _stanzasHoldLogged;

    private void StartInboundThrottle()
    {
        var rate = _transport.Kind == TransportKind.Tcp ? _context.Options.RateLimits.Tcp : _context.Options.RateLimits.WebSocket;
        _inboundRate = rate.BytesPerSecond;
        _inboundThrottle = rate.BytesPerSecond > 0
            ? new TokenBucket(rate.BytesPerSecond, rate.BytesPerSecond * rate.Burst.TotalSeconds, TimeProvider.System)
            : null;
    }

    /// <summary>Administrators are not held back (their tools may send a lot), once they are known to be one.</summary>
    private void ExemptAdministrator(string bareJid)
    {
        if (_context.Admins.Contains(bareJid))
        {
            _inboundThrottle = null;
        }
    }

    /// <summary>Once bound (or resumed): the account's stanza rate applies, unless it is an administrator's.</summary>
    private void StartAccountStanzaRate(Jid jid)
    {
        _stanzaLease = _context.Admins.Contains(jid.Bare.ToString()) ? 0 : _context.StanzaRateLease;
        _stanzasLeft = 0; // the first stanza takes a lease: a new session brings no rate of its own
    }

    /// <summary>After a read: waits as long as the connection's byte bucket says before the next one.</summary>
    private async ValueTask ThrottleInboundAsync()
    {
        if (_inboundThrottle is not { } throttle)
        {
            return;
        }

        var received = _transport.BytesReceived;
        var wait = throttle.Charge(received - _bytesCharged);
        _bytesCharged = received;
        if (wait <= TimeSpan.Zero)
        {
            _bytesHeldSince = 0;
        }
        else if (StartHoldingBack(ref _bytesHeldSince, ref _bytesHoldLogged, LimitMetrics.InboundRate, _inboundRate, "bytes/s", "Gateway:RateLimits"))
        {
            await HoldBackAsync(wait);
        }
    }

    /// <summary>Whether the stanza about to be handed on is within the current lease of its account's rate (the common case: no wait, no call).</summary>
    private bool WithinStanzaLease() => _stanzaLease == 0 || --_stanzasLeft >= 0;

    /// <summary>The lease is spent: takes the next from the account's grain and waits as long as it says.</summary>
    private async ValueTask TakeStanzaLeaseAsync()
    {
        var wait = await _user!.TakeStanzaRateAsync(_stanzaLease);
        _stanzasLeft = _stanzaLease - 1; // the stanza that asked is the first of the new lease
        if (wait <= TimeSpan.Zero)
        {
            _stanzasHeldSince = 0;
        }
        else if (StartHoldingBack(ref _stanzasHeldSince, ref _stanzasHoldLogged, LimitMetrics.StanzaRate, _context.StanzasPerSecond, "stanzas/s across its account's sessions", "Xmpp:Limits:StanzasPerSecond"))
        {
            await HoldBackAsync(wait);
        }
    }

    /// <summary>
    /// A limit holds this connection back: the first time in an episode it is counted, and the first
    /// time for the session logged. False when it has held back without a break for longer than the
    /// hard limit: the connection is being closed instead.
    /// </summary>
    private bool StartHoldingBack(ref long heldSince, ref bool logged, string limit, int rate, string unit, string setting)
    {
        var now = Environment.TickCount64;
        if (heldSince == 0)
        {
            heldSince = now;
            _context.LimitMetrics.Hit(limit);
            if (!logged)
            {
                logged = true;
                Logger.LogInformation("{Session} sends faster than {Rate} {Unit}: reading it more slowly ({Setting})", this, rate, unit, setting);
            }
        }

        var hardLimit = _context.Options.RateLimits.HardLimitAfter;
        if (hardLimit > TimeSpan.Zero && now - heldSince > (long)hardLimit.TotalMilliseconds)
        {
            RequestClose(new StreamError(StreamError.PolicyViolation, "Sending too fast for too long"));
            return false;
        }

        return true;
    }

    /// <summary>Waits before reading on, in steps, so that a session that is closed meanwhile does not wait it out.</summary>
    private async ValueTask HoldBackAsync(TimeSpan wait)
    {
        for (var end = Environment.TickCount64 + (long)wait.TotalMilliseconds; _closeReason is null && Environment.TickCount64 < end;)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(ThrottleStep.TotalMilliseconds, end - Environment.TickCount64)));
        }
    }
}
