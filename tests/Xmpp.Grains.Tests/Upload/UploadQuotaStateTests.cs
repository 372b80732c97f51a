using Xmpp.Grains.Upload.State;

namespace Xmpp.Grains.Tests.Upload;

public sealed class UploadQuotaStateTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Bytes_count_for_a_period_and_then_are_free_again()
    {
        var state = new UploadQuotaState();
        Assert.True(state.TryReserve(60, 100, Day, Start));
        Assert.True(state.TryReserve(40, 100, Day, Start + TimeSpan.FromHours(5)));
        Assert.False(state.TryReserve(1, 100, Day, Start + TimeSpan.FromHours(23)));

        // The first slot's hour has left the day; the second's has not.
        Assert.True(state.TryReserve(60, 100, Day, Start + Day + TimeSpan.FromHours(1)));
        Assert.False(state.TryReserve(1, 100, Day, Start + Day + TimeSpan.FromHours(2)));
        Assert.True(state.TryReserve(100, 100, Day, Start + (2 * Day) + TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Many_slots_take_a_bucket_per_24th_of_the_period()
    {
        var state = new UploadQuotaState();
        for (var minute = 0; minute < 3 * 24 * 60; minute++)
        {
            Assert.True(state.TryReserve(1, long.MaxValue, Day, Start + TimeSpan.FromMinutes(minute)));
        }

        Assert.InRange(state.Buckets.Count, 24, 25);
        Assert.InRange(state.Buckets.Sum(b => b.Bytes), 24 * 60, 25 * 60);
    }
}
