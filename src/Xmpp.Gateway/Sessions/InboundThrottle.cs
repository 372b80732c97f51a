namespace Xmpp.Gateway.Sessions;

/// <summary>
/// A connection's inbound token bucket: <see cref="InboundRateOptions.BytesPerSecond"/> tokens a
/// second, up to the burst. Bytes already read are charged; when that overdraws the bucket, the
/// reader waits until it is even again before its next read, which holds the client back through
/// TCP's (or the WebSocket's) own flow control.
/// </summary>
internal sealed class InboundThrottle(InboundRateOptions options, TimeProvider time)
{
    private readonly double _rate = options.BytesPerSecond;

    public int BytesPerSecond => options.BytesPerSecond;
    private readonly double _capacity = options.BytesPerSecond * options.Burst.TotalSeconds;
    private double _tokens = options.BytesPerSecond * options.Burst.TotalSeconds;
    private long _lastTimestamp = time.GetTimestamp();

    /// <summary>Charges <paramref name="bytes"/>; returns how long to wait before reading again (zero when within the rate).</summary>
    public TimeSpan Charge(long bytes)
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (time.GetElapsedTime(_lastTimestamp, now).TotalSeconds * _rate)) - bytes;
        _lastTimestamp = now;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _rate);
    }
}
