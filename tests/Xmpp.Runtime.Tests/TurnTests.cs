using Xmpp.Runtime.Tests.Grains;
using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task Calls_from_one_caller_run_in_the_order_they_were_made()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITestGrain>("order");
        var calls = new List<Task>();
        for (var i = 0; i < 1000; i++)
        {
            calls.Add(grain.AppendAsync(i));
        }

        await Wait.Within(Task.WhenAll(calls));
        Assert.Equal(Enumerable.Range(0, 1000), await grain.GetLogAsync());
    }

    [Fact]
    public async Task One_way_calls_from_one_caller_run_in_order_and_before_a_later_call()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITestGrain>("order-oneway");
        for (var i = 0; i < 1000; i++)
        {
            _ = grain.AppendOneWayAsync(i);
        }

        Assert.Equal(Enumerable.Range(0, 1000), await Wait.Within(grain.GetLogAsync()));
    }

    [Fact]
    public async Task Concurrent_calls_never_interleave_even_when_turns_await()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITestGrain>("busy");
        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(() => grain.SlowAsync())).ToArray();

        await Wait.Within(Task.WhenAll(calls));
        Assert.Equal(1, await grain.GetMaxConcurrencyAsync());
    }

    [Fact]
    public async Task A_turn_awaiting_another_grain_keeps_its_grain_busy()
    {
        await using var silo = new TestSilo();
        var caller = silo.Factory.GetGrain<ITestGrain>("caller");
        var outer = caller.CallOtherAsync("callee");
        await Wait.Until(() => silo.Probe.Events.Contains("callee:gate:waiting"), "the callee is waiting inside the caller's turn");

        var ping = caller.PingAsync();
        await Task.Delay(100);
        Assert.False(ping.IsCompleted, "the caller's grain ran another call while its turn was awaiting");

        silo.Probe.OpenGate();
        Assert.Equal(42, await Wait.Within(outer));
        Assert.Equal("pong", await Wait.Within(ping));
        var events = silo.Probe.Events.ToList();
        Assert.True(events.IndexOf("caller:call-other:end") < events.IndexOf("caller:ping"));
    }

    [Fact]
    public async Task Exceptions_reach_the_caller_as_thrown_and_the_grain_goes_on()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITestGrain>("thrower");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Within(grain.ThrowAsync("bad")));
        Assert.Equal("bad", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Wait.Within(grain.ThrowSynchronously()));

        Assert.Equal(1, await grain.IncrementAsync());
        Assert.Equal(1, Probe.Count(silo.Probe.Constructed, "thrower"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ValueTask_methods_work_synchronously_and_asynchronously(bool yield)
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITestGrain>("vt");
        Assert.Equal(1, await grain.GetValueTaskAsync(yield));
        Assert.Equal(2, await grain.GetValueTaskAsync(yield));
        await grain.PingValueTaskAsync(yield);
        Assert.Contains("vt:ping-valuetask", silo.Probe.Events);
    }
}
