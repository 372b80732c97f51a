using Microsoft.Extensions.Logging.Abstractions;
using Xmpp.Grains.Routing;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests;

/// <summary>Pushes for the sessions of another silo: a room that outruns that silo waits for it instead of queueing without bound.</summary>
public sealed class SessionPushSenderTests
{
    [Fact]
    public async Task A_hub_that_falls_behind_makes_paced_senders_wait_until_it_caught_up()
    {
        var hub = new SlowHub();
        using var sender = new SessionPushSender(new UndeliveredPushes(null!, NullLogger<UndeliveredPushes>.Instance), NullLogger<SessionPushSender>.Instance);

        Assert.True(sender.SendPaced(hub, [Push()]).IsCompleted); // in flight; the hub holds it
        Assert.True(sender.SendPaced(hub, [.. Enumerable.Range(0, OrderedDelivery<SessionPush>.MaxBatchItems).Select(_ => Push())]).IsCompleted); // a call's worth may wait
        var paced = sender.SendPaced(hub, [Push()]);
        Assert.False(paced.IsCompleted); // more than that: the sender waits

        hub.Release();
        await paced.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(OrderedDelivery<SessionPush>.MaxBatchItems + 2, hub.Received);
    }

    private static SessionPush Push() =>
        new("juliet@localhost/balcony", null!, [new Element(Stanza.Message) { To = "juliet@localhost/balcony" }], null);

    private sealed class SlowHub : ISessionHub
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;
        private int _calls;

        public int Received => Volatile.Read(ref _received);

        public void Release() => _first.SetResult();

        public Task PushAsync(IReadOnlyList<SessionPush> pushes)
        {
            Interlocked.Add(ref _received, pushes.Count);
            return Interlocked.Increment(ref _calls) == 1 ? _first.Task : Task.CompletedTask;
        }

        public Task<SessionHandOver> HandOverAsync(ISessionObserver session, string resumptionId, uint acknowledged) => throw new NotSupportedException();
    }
}
