using Microsoft.Extensions.Logging;
using Xmpp.Runtime.Tests.Grains;
using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests;

public sealed class ObserverTests
{
    [Fact]
    public async Task Calls_through_a_reference_reach_the_observer_until_it_is_deleted()
    {
        await using var silo = new TestSilo();
        var observer = new RecordingObserver();
        var reference = silo.Factory.CreateObjectReference<IPingObserver>(observer);
        var grain = silo.Factory.GetGrain<IObserverGrain>("room");
        await grain.SubscribeAsync(reference);

        Assert.Equal(1, await grain.PublishAsync("first"));
        Assert.Equal(["first"], observer.Received);
        Assert.True(ObserverReference.IsAlive(reference));

        silo.Factory.DeleteObjectReference(reference);
        Assert.False(ObserverReference.IsAlive(reference));
        Assert.Equal(0, await grain.PublishAsync("second"));
        reference.Ping("third");

        Assert.Equal(["first"], observer.Received);
        Assert.Equal(0, await grain.CountAsync());
    }

    [Fact]
    public async Task An_observer_that_throws_is_logged_and_does_not_fail_the_grain_turn()
    {
        await using var silo = new TestSilo();
        var broken = new RecordingObserver { Throw = true };
        var healthy = new RecordingObserver();
        var grain = silo.Factory.GetGrain<IObserverGrain>("room");
        await grain.SubscribeAsync(silo.Factory.CreateObjectReference<IPingObserver>(broken));
        await grain.SubscribeAsync(silo.Factory.CreateObjectReference<IPingObserver>(healthy));

        Assert.Equal(2, await grain.PublishAsync("hello"));
        Assert.Equal(["hello"], healthy.Received);
        Assert.Contains(silo.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "observer failed");
    }

    [Fact]
    public async Task Objects_that_are_not_references_count_as_alive()
    {
        await using var silo = new TestSilo();
        Assert.True(ObserverReference.IsAlive(new RecordingObserver()));
    }
}
