using Xmpp.Gateway.StreamManagement;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>XEP-0198 §4's counting: acknowledgements within what was sent, modulo 2^32.</summary>
public sealed class UnackedStanzasTests
{
    [Fact]
    public void An_ack_removes_what_it_covers_and_the_count_wraps_from_the_top_of_the_range_to_zero()
    {
        var unacked = new UnackedStanzas(acknowledged: uint.MaxValue - 1);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(unacked.TryAdd(Message(i), 0, out var count));
            Assert.Equal(i + 1, count);
        }

        Assert.Equal(3u, unacked.Sent); // 2^32 - 2 + 5, wrapped

        Assert.Equal(AckOutcome.Accepted, unacked.Acknowledge(uint.MaxValue)); // one stanza
        Assert.Equal(4, unacked.Count);
        Assert.Equal(AckOutcome.Accepted, unacked.Acknowledge(1)); // two more, across the wrap
        Assert.Equal(2, unacked.Count);
        Assert.Equal(["m3", "m4"], unacked.TakeAll().Select(u => u.Stanza.Id));
    }

    [Theory]
    [InlineData(10u, 10u, 0, nameof(AckOutcome.Accepted))] // nothing new
    [InlineData(10u, 13u, 3, nameof(AckOutcome.Accepted))]
    [InlineData(10u, 14u, 3, nameof(AckOutcome.BeyondSent))]
    [InlineData(10u, 9u, 3, nameof(AckOutcome.BehindAcknowledged))]
    [InlineData(uint.MaxValue, 2u, 3, nameof(AckOutcome.Accepted))] // 2^32 - 1 + 3
    [InlineData(uint.MaxValue, 3u, 3, nameof(AckOutcome.BeyondSent))]
    [InlineData(1u, uint.MaxValue, 3, nameof(AckOutcome.BehindAcknowledged))] // two behind, across the wrap
    [InlineData(0u, 0x8000_0000u, 3, nameof(AckOutcome.BehindAcknowledged))] // half the range away: taken as behind
    [InlineData(0u, 0x7FFF_FFFFu, 3, nameof(AckOutcome.BeyondSent))]
    public void An_ack_is_accepted_only_between_the_last_one_and_what_was_sent(uint acknowledged, uint h, int count, string expected) =>
        Assert.Equal(expected, UnackedStanzas.Check(acknowledged, h, count).ToString());

    [Fact]
    public void An_impossible_ack_changes_nothing()
    {
        var unacked = new UnackedStanzas(acknowledged: 5);
        unacked.TryAdd(Message(0), 0, out _);
        Assert.Equal(AckOutcome.BeyondSent, unacked.Acknowledge(7));
        Assert.Equal(AckOutcome.BehindAcknowledged, unacked.Acknowledge(4));
        Assert.Equal((1, 5u), (unacked.Count, unacked.Acknowledged));
    }

    [Fact]
    public void One_request_at_a_time_and_none_again_for_the_same_count()
    {
        var unacked = new UnackedStanzas();
        Assert.False(unacked.TryStartRequest(threshold: 1)); // nothing to ask about
        unacked.TryAdd(Message(0), 0, out _);
        Assert.False(unacked.TryStartRequest(threshold: 2));
        Assert.True(unacked.TryStartRequest(threshold: 1));
        Assert.False(unacked.TryStartRequest(threshold: 1)); // one is outstanding

        // The client answers with less than was sent when it was asked: not asked again (mod_smacks'
        // guard against a loop of requests) until more was sent.
        Assert.Equal(AckOutcome.Accepted, unacked.Acknowledge(0));
        Assert.False(unacked.TryStartRequest(threshold: 1));
        unacked.TryAdd(Message(1), 0, out _);
        Assert.True(unacked.TryStartRequest(threshold: 1));
    }

    [Fact]
    public void Once_taken_the_queue_takes_nothing_more()
    {
        var unacked = new UnackedStanzas();
        unacked.TryAdd(Message(0), 0, out _);
        Assert.Single(unacked.TakeAll());
        Assert.False(unacked.TryAdd(Message(1), 0, out _));
        Assert.Empty(unacked.TakeAll());
    }

    private static Element Message(int i) => new(Stanza.Message) { Id = $"m{i}" };
}
