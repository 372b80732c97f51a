using Microsoft.Extensions.Logging;
using Xmpp.Runtime.Tests.Grains;
using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests;

public sealed class OneWayAndTimeoutTests
{
    [Fact]
    public async Task One_way_calls_return_before_the_work_runs_and_their_exceptions_are_logged_not_thrown()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITestGrain>("ow");

        var call = grain.OneWayGatedThenThrowAsync();
        Assert.True(call.IsCompletedSuccessfully);

        await Wait.Until(() => silo.Probe.Events.Contains("ow:oneway:started"), "the one-way call runs");
        Assert.DoesNotContain("ow:oneway:throwing", silo.Probe.Events);

        silo.Probe.OpenGate();
        await Wait.Until(
            () => silo.Logs.Entries.Any(e => e.Level == LogLevel.Error && e.Exception?.Message == "one-way boom"),
            "the one-way failure is logged");

        // The grain is unharmed, and it is the same activation.
        Assert.Equal("pong", await Wait.Within(grain.PingAsync()));
        Assert.Equal(1, Probe.Count(silo.Probe.Constructed, "ow"));
    }

    [Fact]
    public async Task A_hung_call_and_the_calls_queued_behind_it_time_out()
    {
        await using var silo = new TestSilo(o => o.CallTimeout = TimeSpan.FromSeconds(1));
        var grain = silo.Factory.GetGrain<ITestGrain>("hang");

        var hung = grain.WaitForGateAsync();
        var queued = grain.PingAsync();
        await Assert.ThrowsAsync<TimeoutException>(() => Wait.Within(hung));
        await Assert.ThrowsAsync<TimeoutException>(() => Wait.Within(queued));

        // Once the turn ends the grain serves calls again; the expired call was dropped, not run.
        silo.Probe.OpenGate();
        await Wait.Until(() => silo.Probe.Events.Contains("hang:gate:passed"), "the hung turn ends");
        Assert.Equal("pong", await Wait.Within(grain.PingAsync()));
        Assert.Equal(1, silo.Probe.Events.Count(e => e == "hang:ping"));
    }

    [Fact]
    public async Task A_cycle_of_grains_awaiting_each_other_ends_in_a_timeout_instead_of_hanging()
    {
        await using var silo = new TestSilo(o => o.CallTimeout = TimeSpan.FromMilliseconds(300));
        var a = silo.Factory.GetGrain<ITestGrain>("a");

        // a awaits b, b awaits a, whose turn is the one awaiting b.
        await Assert.ThrowsAsync<TimeoutException>(() => Wait.Within(a.RelayAsync(["b", "a"])));

        // a and b are free again once their own calls in the cycle time out too, which may take
        // longer than one call's timeout on a loaded machine.
        Assert.Equal("pong", await Wait.UntilAnswered(() => a.RelayAsync(["b"])));
    }
}
