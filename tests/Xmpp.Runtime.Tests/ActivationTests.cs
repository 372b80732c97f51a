using Microsoft.Extensions.DependencyInjection;
using Xmpp.Runtime.Tests.Grains;
using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests;

public sealed class ActivationTests
{
    [Fact]
    public async Task Concurrent_first_calls_create_exactly_one_activation()
    {
        await using var silo = new TestSilo();

        // 100 callers, each with its own reference taken before any activation exists, on their
        // own threads released together by a barrier, so that they really race to create it.
        const int Callers = 100;
        var references = Enumerable.Range(0, Callers).Select(_ => silo.Factory.GetGrain<ITestGrain>("one")).ToArray();
        var calls = new Task<int>[Callers];
        using var barrier = new Barrier(Callers);
        var threads = Enumerable.Range(0, Callers).Select(i => new Thread(() =>
        {
            barrier.SignalAndWait();
            calls[i] = references[i].IncrementAsync();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var results = await Wait.Within(Task.WhenAll(calls));

        Assert.Equal(1, Probe.Count(silo.Probe.Constructed, "one"));
        Assert.Equal(1, Probe.Count(silo.Probe.Activated, "one"));
        // One activation means one counter: every call saw a distinct value.
        Assert.Equal(Enumerable.Range(1, Callers), results.Order());
        Assert.Equal(1, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Different_keys_get_different_activations()
    {
        await using var silo = new TestSilo();
        Assert.Equal(1, await silo.Factory.GetGrain<ITestGrain>("a").IncrementAsync());
        Assert.Equal(1, await silo.Factory.GetGrain<ITestGrain>("b").IncrementAsync());
        Assert.Equal(2, await silo.Factory.GetGrain<ITestGrain>("a").IncrementAsync());
        Assert.Equal(2, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Getting_a_reference_does_not_activate()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<ITestGrain>("lazy");
        Assert.Equal(0, silo.Runtime.ActivationCount);
        Assert.Equal("pong", await grain.PingAsync());
        Assert.Equal(1, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Constructor_gets_services_and_can_read_its_key()
    {
        await using var silo = new TestSilo();
        await silo.Factory.GetGrain<ITestGrain>("alice@example.com").PingAsync();
        Assert.Equal(["alice@example.com"], silo.Probe.KeysSeenInConstructor);
    }

    [Fact]
    public async Task A_failed_construction_faults_the_call_and_the_next_call_activates_afresh()
    {
        await using var silo = new TestSilo();
        silo.Probe.FailConstructionOnce();
        var grain = silo.Factory.GetGrain<IFlakyGrain>("f");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Within(grain.IncrementAsync()));
        Assert.Equal("constructor failed", error.Message);
        Assert.Equal(0, silo.Runtime.ActivationCount);

        Assert.Equal(1, await Wait.Within(grain.IncrementAsync()));
        Assert.Equal(2, Probe.Count(silo.Probe.Constructed, "f"));
    }

    [Fact]
    public async Task A_failed_OnActivateAsync_faults_the_queued_calls_and_the_next_call_activates_afresh()
    {
        await using var silo = new TestSilo();
        silo.Probe.FailActivationOnce();
        var grain = silo.Factory.GetGrain<IFlakyGrain>("f");

        var first = grain.IncrementAsync();
        var second = grain.IncrementAsync();
        silo.Probe.OpenGate();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Within(first));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Within(second));

        Assert.Equal(1, await Wait.Within(grain.IncrementAsync()));
        Assert.Equal(2, Probe.Count(silo.Probe.Constructed, "f"));
    }

    [Fact]
    public async Task An_unregistered_interface_is_rejected_by_GetGrain()
    {
        await using var silo = new TestSilo();
        Assert.Throws<ArgumentException>(() => silo.Factory.GetGrain<IUnregisteredGrain>("x"));
    }

    [Fact]
    public async Task The_factory_is_a_singleton_and_the_runtime_is_the_factory()
    {
        await using var silo = new TestSilo();
        Assert.Same(silo.Factory, silo.Services.GetRequiredService<IGrainFactory>());
        Assert.Same(silo.Runtime, silo.Factory);
    }

    [Fact]
    public async Task Grains_calling_grains_work_and_references_work_from_inside_a_grain()
    {
        await using var silo = new TestSilo();
        silo.Probe.OpenGate();
        Assert.Equal(42, await Wait.Within(silo.Factory.GetGrain<ITestGrain>("caller").CallOtherAsync("callee")));
        Assert.Equal(2, silo.Runtime.ActivationCount);
    }

    public interface IUnregisteredGrain : IGrainWithStringKey
    {
        Task PingAsync();
    }
}
