namespace Xmpp.Grains;

/// <summary>
/// A token bucket for rate limits that slow a client down rather than refuse it: <c>rate</c>
/// tokens a second up to <c>capacity</c>; what was done is charged, and an overdrawn bucket says
/// how long to wait until it is even again.
/// </summary>
public sealed class TokenBucket
{
    private readonly double _rate;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _lastTimestamp;

    public TokenBucket(double rate, double capacity, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _rate = rate;
        _capacity = capacity;
        _time = time;
        _tokens = capacity;
        _lastTimestamp = time.GetTimestamp();
    }

    /// <summary>Charges <paramref name="amount"/>; returns how long to wait before going on (zero when within the rate).</summary>
    public TimeSpan Charge(double amount)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_lastTimestamp, now).TotalSeconds * _rate)) - amount;
        _lastTimestamp = now;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _rate);
    }
}
