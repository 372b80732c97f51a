using Xmpp.Server.Memory;

namespace Xmpp.Gateway.Tests;

/// <summary>When the server hands collector memory back: once per burst, after a quiet period, small heaps only.</summary>
public sealed class IdleTrimPolicyTests
{
    private const long MiB = 1024 * 1024;
    private const int TrimAfterSeconds = 5;
    private const long Allowance = IdleTrimPolicy.QuietBytesPerSecond * TrimAfterSeconds; // per quiet period

    private readonly IdleTrimPolicy _policy = new(TimeSpan.FromSeconds(TrimAfterSeconds), maxHeapBytes: 128 * MiB);
    private long _allocated;
    private int _second;

    [Fact]
    public void Trims_once_the_allocation_rate_stayed_quiet_for_the_period_after_a_burst()
    {
        Assert.False(Tick(0));
        Assert.False(Tick(20 * MiB)); // a burst of logins
        for (var quiet = 1; quiet < TrimAfterSeconds; quiet++)
        {
            Assert.False(Tick(1024), $"trimmed after {quiet} quiet seconds");
        }

        Assert.True(Tick(1024));
    }

    [Fact]
    public void Allocating_more_than_the_period_allows_restarts_the_quiet_period()
    {
        Tick(0);
        Tick(20 * MiB);
        for (var quiet = 1; quiet < TrimAfterSeconds; quiet++)
        {
            Tick(0);
        }

        Assert.False(Tick(Allowance + 1));
        for (var quiet = 1; quiet < TrimAfterSeconds; quiet++)
        {
            Assert.False(Tick(0));
        }

        Assert.True(Tick(0));
    }

    [Fact]
    public void A_spike_within_the_period_allowance_does_not_restart_it()
    {
        Tick(0);
        Tick(20 * MiB);
        Tick(0);
        Tick(Allowance / 2); // a timer's work, a keepalive round
        Tick(0);
        Tick(0);
        Assert.True(Tick(0));
    }

    [Fact]
    public void Steady_traffic_above_the_quiet_rate_is_never_trimmed()
    {
        Tick(0);
        for (var second = 0; second < 120; second++)
        {
            Assert.False(Tick(2 * IdleTrimPolicy.QuietBytesPerSecond));
        }
    }

    [Fact]
    public void An_idle_server_is_trimmed_once_not_every_period()
    {
        Tick(0);
        Tick(20 * MiB);
        while (!Tick(0))
        {
        }

        _policy.Trimmed(_allocated);
        const int keepalives = 1024; // bytes a second
        for (var second = 1; second < IdleTrimPolicy.MinimumAllocatedSinceTrim / keepalives; second++)
        {
            Assert.False(Tick(keepalives), $"trimmed again after {second} s");
        }
    }

    [Fact]
    public void A_trickle_under_the_quiet_rate_is_trimmed_again_once_it_adds_up_to_the_minimum()
    {
        Tick(0);
        var trickle = IdleTrimPolicy.QuietBytesPerSecond / 2;
        var minimumReachedAfter = (int)(IdleTrimPolicy.MinimumAllocatedSinceTrim / trickle);
        var second = 1;
        while (!Tick(trickle))
        {
            second++;
            Assert.True(second <= minimumReachedAfter + 2 * TrimAfterSeconds, "never trimmed");
        }

        Assert.True(second >= minimumReachedAfter, $"trimmed after {second} s, before the minimum was allocated");
    }

    [Fact]
    public void Little_allocation_since_the_last_trim_is_not_worth_a_collection()
    {
        Tick(0);
        Tick(IdleTrimPolicy.MinimumAllocatedSinceTrim / 2);
        for (var second = 0; second < 60; second++)
        {
            Assert.False(Tick(0));
        }
    }

    [Fact]
    public void A_large_heap_is_left_alone()
    {
        Tick(0);
        Tick(20 * MiB);
        for (var second = 0; second < 60; second++)
        {
            Assert.False(Tick(0, heapBytes: 129 * MiB));
        }

        Assert.True(Tick(0, heapBytes: 100 * MiB));
    }

    /// <summary>One sample a second later, with <paramref name="allocated"/> more bytes allocated.</summary>
    private bool Tick(long allocated, long heapBytes = 40 * MiB)
    {
        _allocated += allocated;
        return _policy.Sample(TimeSpan.FromSeconds(_second++), _allocated, heapBytes);
    }
}
