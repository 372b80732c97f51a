using Microsoft.Extensions.Logging;
using Xmpp.Gateway.Transport;
using Xmpp.Grains;
using Xmpp.Grains.Diagnostics;

namespace Xmpp.Gateway.Sessions;

// The inbound rate limit (Gateway:RateLimits), as Prosody's mod_limits: past its transport's rate a
// connection is read more slowly, which slows its client down through flow control and delays
// nobody else; a client that never lets up for HardLimitAfter is disconnected.
internal sealed partial class XmppSession
{
    private static readonly TimeSpan ThrottleStep = TimeSpan.FromMilliseconds(100);

    private TokenBucket? _inboundThrottle; // null: no limit (none configured, or an administrator)
    private int _inboundRate;
    private long _bytesCharged;
    private long _throttledSince; // when the current unbroken throttling began (TickCount64); 0 when not throttled
    private bool _throttleLogged;

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

    /// <summary>After a read: waits as long as the bucket says before the next one.</summary>
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
            _throttledSince = 0;
            return;
        }

        var now = Environment.TickCount64;
        if (_throttledSince == 0)
        {
            _throttledSince = now;
            _context.LimitMetrics.Hit(LimitMetrics.InboundRate);
            if (!_throttleLogged)
            {
                _throttleLogged = true;
                Logger.LogInformation("{Session} sends faster than {Rate} bytes/s: reading it more slowly (Gateway:RateLimits)", this, _inboundRate);
            }
        }

        var hardLimit = _context.Options.RateLimits.HardLimitAfter;
        if (hardLimit > TimeSpan.Zero && now - _throttledSince > (long)hardLimit.TotalMilliseconds)
        {
            RequestClose(new StreamError(StreamError.PolicyViolation, "Sending too fast for too long"));
            return;
        }

        // In steps, so that a session that is closed meanwhile does not wait it out.
        for (var end = now + (long)wait.TotalMilliseconds; _closeReason is null && Environment.TickCount64 < end;)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(ThrottleStep.TotalMilliseconds, end - Environment.TickCount64)));
        }
    }
}
