using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xmpp.Runtime.Storage;
using Xmpp.Runtime.Tests.Grains;
using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests;

public sealed class LifecycleTests
{
    private static void FastIdle(GrainRuntimeOptions options)
    {
        options.IdleTimeout = TimeSpan.FromMilliseconds(200);
        options.IdleCheckInterval = TimeSpan.FromMilliseconds(50);
    }

    [Fact]
    public async Task Idle_activations_are_deactivated_and_the_next_call_reactivates_and_rereads_state()
    {
        await using var silo = new TestSilo(FastIdle);
        var grain = silo.Factory.GetGrain<IStateGrain>("idle");
        await grain.SetNameAsync("before");

        await Wait.Until(() => silo.Probe.Deactivations.Contains(("idle", DeactivationReason.Idle)), "the idle activation is deactivated");
        await Wait.Until(() => silo.Runtime.ActivationCount == 0, "the activation has left the directory");

        // Someone else changes the stored record meanwhile: the new activation must read it.
        var id = new GrainStateId("state", "idle", "profile");
        var stored = await silo.Storage.ReadAsync(id);
        await silo.Storage.WriteAsync(id, Encoding.UTF8.GetBytes("""{"Name":"after"}"""), stored!.Etag);

        Assert.Equal("after", await Wait.Within(grain.GetNameAsync()));
        Assert.Equal(2, Probe.Count(silo.Probe.Activated, "idle"));
    }

    [Fact]
    public async Task DelayDeactivation_keeps_an_idle_activation_until_it_is_cancelled()
    {
        await using var silo = new TestSilo(FastIdle);
        var kept = silo.Factory.GetGrain<ITestGrain>("kept");
        await kept.DelayDeactivationAsync(TimeSpan.MaxValue);
        await silo.Factory.GetGrain<ITestGrain>("other").PingAsync();

        // Well past several idle timeouts: the other grain goes, the kept one stays.
        await Wait.Until(() => silo.Probe.Deactivations.Contains(("other", DeactivationReason.Idle)), "the ordinary grain is collected");
        await Task.Delay(500);
        Assert.DoesNotContain(("kept", DeactivationReason.Idle), silo.Probe.Deactivations);

        await kept.DelayDeactivationAsync(TimeSpan.FromMilliseconds(-1));
        await Wait.Until(() => silo.Probe.Deactivations.Contains(("kept", DeactivationReason.Idle)), "the grain is collected once the delay is cancelled");
    }

    [Fact]
    public async Task DeactivateOnIdle_deactivates_after_the_turn_and_queued_calls_go_to_a_new_activation()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITestGrain>("d");
        Assert.Equal(1, await grain.IncrementAsync());

        var deactivate = grain.DeactivateSoonAsync();
        var next = grain.IncrementAsync();
        await Wait.Within(deactivate);

        // The counter starts again: the call queued behind the deactivation ran on a new activation.
        Assert.Equal(1, await Wait.Within(next));
        Assert.Equal(2, Probe.Count(silo.Probe.Constructed, "d"));
        Assert.Equal(
            ["d:ctor", "d:activate", "d:increment", "d:deactivate-soon", "d:deactivate:Requested", "d:ctor", "d:activate", "d:increment"],
            silo.Probe.Events);
    }

    [Fact]
    public async Task Shutdown_deactivates_every_activation_and_later_calls_fail()
    {
        var silo = new TestSilo();
        var factory = silo.Factory;
        foreach (var key in new[] { "x", "y", "z" })
        {
            await factory.GetGrain<ITestGrain>(key).PingAsync();
        }

        await silo.DisposeAsync();

        Assert.Equal(
            [("x", DeactivationReason.Shutdown), ("y", DeactivationReason.Shutdown), ("z", DeactivationReason.Shutdown)],
            silo.Probe.Deactivations.OrderBy(d => d.Key));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => factory.GetGrain<ITestGrain>("x").PingAsync());
    }

    [Fact]
    public async Task Stopping_the_host_deactivates_every_activation()
    {
        await using var silo = new TestSilo();
        await silo.Factory.GetGrain<ITestGrain>("hosted").PingAsync();
        foreach (var service in silo.Services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Equal([("hosted", DeactivationReason.Shutdown)], silo.Probe.Deactivations);
        Assert.Equal(0, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Shutdown_gives_up_on_a_hung_activation_after_the_timeout()
    {
        var silo = new TestSilo(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        var hung = silo.Factory.GetGrain<ITestGrain>("hung").WaitForGateAsync();
        await silo.Factory.GetGrain<ITestGrain>("fine").PingAsync();
        await Wait.Until(() => silo.Probe.Events.Contains("hung:gate:waiting"), "the hung turn is running");

        await Wait.Within(silo.DisposeAsync().AsTask());
        await Wait.Until(() => silo.Probe.Deactivations.Contains(("fine", DeactivationReason.Shutdown)), "the other activation is deactivated");
        Assert.False(hung.IsCompleted);
        silo.Probe.OpenGate();
    }

    [Fact]
    public async Task Timer_ticks_run_as_turns_of_the_grain()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITimerGrain>("t");
        await grain.StartAsync(periodMs: 5, throwOnTick: false);

        var deadline = DateTime.UtcNow + Wait.Deadline;
        while (await grain.GetTicksAsync() < 5 && DateTime.UtcNow < deadline)
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => grain.SlowAsync()));
        }

        Assert.True(await grain.GetTicksAsync() >= 5);
        Assert.Equal(1, await grain.GetMaxConcurrencyAsync());
    }

    [Fact]
    public async Task A_failing_timer_callback_is_logged_and_keeps_ticking()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITimerGrain>("t");
        await grain.StartAsync(periodMs: 5, throwOnTick: true);

        await Wait.Until(() => silo.Probe.Events.Count(e => e == "t:tick") >= 3, "the timer ticks again after failing");
        Assert.Contains(silo.Logs.Entries, e => e.Exception?.Message == "tick failed");
    }

    [Fact]
    public async Task A_disposed_timer_and_a_deactivated_grain_get_no_more_ticks()
    {
        await using var silo = new TestSilo();
        var stopped = silo.Factory.GetGrain<ITimerGrain>("stopped");
        await stopped.StartAsync(periodMs: 5, throwOnTick: false);
        await Wait.Until(() => silo.Probe.Events.Contains("stopped:tick"), "the timer ticked");
        await stopped.StopAsync();

        var gone = silo.Factory.GetGrain<ITimerGrain>("gone");
        await gone.StartAsync(periodMs: 5, throwOnTick: false);
        await Wait.Until(() => silo.Probe.Events.Contains("gone:tick"), "the timer ticked");
        await gone.DeactivateSoonAsync();
        await Wait.Until(() => silo.Runtime.ActivationCount == 1, "the grain deactivated");

        var stoppedTicks = silo.Probe.Events.Count(e => e == "stopped:tick");
        var goneTicks = silo.Probe.Events.Count(e => e == "gone:tick");
        await Task.Delay(100);
        Assert.Equal(stoppedTicks, silo.Probe.Events.Count(e => e == "stopped:tick"));
        Assert.Equal(goneTicks, silo.Probe.Events.Count(e => e == "gone:tick"));
        Assert.Equal(1, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Timer_ticks_do_not_keep_an_activation_from_idle_deactivation()
    {
        await using var silo = new TestSilo(FastIdle);
        await silo.Factory.GetGrain<ITimerGrain>("ticking").StartAsync(periodMs: 10, throwOnTick: false);
        await Wait.Until(() => silo.Runtime.ActivationCount == 0, "the timer grain is deactivated while its timer ticks");
    }
}
