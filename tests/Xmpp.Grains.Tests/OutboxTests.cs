using Microsoft.Extensions.Logging.Abstractions;
using Xmpp.Grains.Routing;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests;

/// <summary>
/// What a turn routes (to recipients whose sessions the grain does not know) and when a flush that
/// waits returns: only once those stanzas were handed to their recipients' grains, so that an answer
/// sent after it (an admin command's result) cannot overtake them. The other flushes do not wait.
/// </summary>
public sealed class OutboxTests
{
    [Fact]
    public async Task A_flush_that_waits_completes_once_the_routed_stanzas_were_handed_to_their_grains()
    {
        var router = new GatedRouter();
        using var pushes = NewPushSender();
        var outbox = new Outbox(pushes, router);

        outbox.Route(Presence("admin@localhost/desk"));
        var flushed = outbox.FlushAsync();

        await router.FirstCallStarted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(flushed.IsCompleted); // the recipient's grain has not taken it yet
        router.Release();
        await flushed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["admin@localhost/desk"], router.HandedOver);
    }

    [Fact]
    public async Task The_flushes_that_do_not_wait_leave_the_routed_stanzas_on_their_way()
    {
        var router = new GatedRouter();
        using var pushes = NewPushSender();
        var outbox = new Outbox(pushes, router);

        outbox.Route(Presence("juliet@localhost/balcony"));
        Assert.True(outbox.FlushPacedAsync().IsCompleted); // every room turn: no wait for the recipients' grains
        outbox.Route(Presence("romeo@localhost/orchard"));
        outbox.Flush();

        await router.FirstCallStarted.WaitAsync(TimeSpan.FromSeconds(5));
        router.Release();
        await router.WhenDrainedAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["juliet@localhost/balcony", "romeo@localhost/orchard"], router.HandedOver);
    }

    private static SessionPushSender NewPushSender() =>
        new(new UndeliveredPushes(null!, NullLogger<UndeliveredPushes>.Instance), NullLogger<SessionPushSender>.Instance);

    private static Element Presence(string to) =>
        new(Stanza.Presence) { From = "room@conference.localhost/Admin", To = to, Type = "unavailable" };

    /// <summary>A router whose recipients' grains hold the first call until released (a slow grain, a slow silo).</summary>
    private sealed class GatedRouter : IStanzaRouter
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly OrderedDelivery<Element> _toGrains;

        public GatedRouter() =>
            _toGrains = new OrderedDelivery<Element>(
                async stanzas =>
                {
                    _firstCall.TrySetResult();
                    await _gate.Task;
                    lock (HandedOver)
                    {
                        HandedOver.AddRange(stanzas.Select(s => s.To!));
                    }
                },
                (_, e) => throw e);

        public List<string> HandedOver { get; } = [];

        public Task FirstCallStarted => _firstCall.Task;

        public void Release() => _gate.TrySetResult();

        public void Route(Element stanza, SessionAddress? sender = null) => _toGrains.TryEnqueue(stanza);

        public void Bounce(Element stanza, StanzaError error) => throw new NotSupportedException();

        public void SendToGrain<TGrain, TStanza>(string key, TStanza stanza, Func<TGrain, IReadOnlyList<TStanza>, Task> handOver)
            where TGrain : IGrainWithStringKey
            where TStanza : class => throw new NotSupportedException();

        public Task WhenDrainedAsync() => _toGrains.WhenDrainedAsync();
    }
}
