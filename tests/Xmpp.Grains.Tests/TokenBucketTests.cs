namespace Xmpp.Grains.Tests;

/// <summary>The token bucket behind the rate limits: a burst passes, then each charge says how long to wait, takers in turn.</summary>
public sealed class TokenBucketTests
{
    [Fact]
    public void A_burst_passes_then_each_charge_waits_until_the_bucket_is_even_again()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(rate: 100, capacity: 100, time);
        Assert.Equal(TimeSpan.Zero, bucket.Charge(50));
        Assert.Equal(TimeSpan.Zero, bucket.Charge(50));
        Assert.Equal(TimeSpan.FromSeconds(0.5), bucket.Charge(50)); // overdrawn by 50 at 100 a second
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.Charge(50)); // a second taker waits behind the first

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(0.5), bucket.Charge(50)); // -100 + 100 - 50
    }

    [Fact]
    public void An_idle_bucket_fills_up_to_its_capacity_and_no_further()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(rate: 100, capacity: 200, time);
        Assert.Equal(TimeSpan.Zero, bucket.Charge(200));

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.Zero, bucket.Charge(200));
        Assert.Equal(TimeSpan.FromSeconds(0.01), bucket.Charge(1));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
