namespace Xmpp.Gateway;

/// <summary>
/// How fast one connection may send (section "Gateway:RateLimits"), per transport, as Prosody's
/// mod_limits (<c>limits.c2s.rate = "10kb/s"</c>, a burst of two seconds' worth): past it the server
/// reads more slowly — the client slows down, nothing is dropped. Service administrators are exempt
/// once logged in.
/// </summary>
public sealed class GatewayRateLimitsOptions
{
    public InboundRateOptions Tcp { get; set; } = new();

    public InboundRateOptions WebSocket { get; set; } = new();

    /// <summary>A connection held back without a break for this long is closed with <c>policy-violation</c>; zero: never.</summary>
    public TimeSpan HardLimitAfter { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>One transport's inbound rate: a token bucket.</summary>
public sealed class InboundRateOptions
{
    /// <summary>Sustained bytes per second; 0: no limit.</summary>
    public int BytesPerSecond { get; set; } = 10 * 1024;

    /// <summary>How many seconds' worth may come at once before reads slow down.</summary>
    public TimeSpan Burst { get; set; } = TimeSpan.FromSeconds(2);
}
