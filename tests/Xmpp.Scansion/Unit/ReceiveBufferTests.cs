using Xmpp.Protocol.Xml;
using Xmpp.Scansion.Client;

namespace Xmpp.Scansion.Unit;

/// <summary>
/// The chunk model (SCANSION.md "Order, timing and stanzas nobody asked for"), driven with
/// explicit arrival times and byte offsets instead of a socket and a clock.
/// </summary>
public sealed class ReceiveBufferTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(5);

    private static Element Stanza(string id) => new Element("message").SetAttribute("id", id);

    private static (Element, long) At(string id, long end) => (Stanza(id), end);

    private static async Task<string?> NextId(ReceiveBuffer buffer, long previousActionFinished, TimeSpan? wait = null)
    {
        var (outcome, stanza) = await buffer.ReceiveAsync(previousActionFinished, wait ?? Short);
        return outcome == ReceiveOutcome.Stanza ? stanza!.Stanza.Id : null;
    }

    [Fact]
    public async Task TheRestOfAChunkGoesToImmediatelyFollowingReceivesThenIsDropped()
    {
        var buffer = new ReceiveBuffer(0);
        buffer.OnRead(1, 300, arrivedAt: 10, [At("a", 100), At("b", 200), At("c", 300)]);

        Assert.Equal("a", await NextId(buffer, previousActionFinished: 20));
        Assert.Equal("b", await NextId(buffer, previousActionFinished: 21)); // immediately following receives
        var dropped = buffer.DropChunk(); // the script did something else
        Assert.Equal(["c"], dropped.Select(s => s.Stanza.Id));

        Assert.Null(await NextId(buffer, previousActionFinished: 30)); // nothing new arrived
        Assert.Equal(300, buffer.ReadPosition);
    }

    [Fact]
    public async Task WhatWaitedInTheSocketBufferIsOneChunkAcrossReads()
    {
        var buffer = new ReceiveBuffer(0);
        buffer.OnRead(1, 100, arrivedAt: 10, [At("a", 100)]);
        buffer.OnRead(2, 200, arrivedAt: 11, [At("b", 200)]);

        Assert.Equal("a", await NextId(buffer, previousActionFinished: 50));
        buffer.DropChunk();

        // b was in the same chunk as a: gone.
        Assert.Null(await NextId(buffer, previousActionFinished: 60));
    }

    [Fact]
    public async Task WithNothingBufferedTheChunkIsTheNextReadOnly()
    {
        var buffer = new ReceiveBuffer(0);

        // Both reads arrive after the previous action finished (time 5): only the first is the chunk.
        buffer.OnRead(1, 100, arrivedAt: 10, [At("a", 100)]);
        buffer.OnRead(2, 200, arrivedAt: 11, [At("b", 200)]);

        Assert.Equal("a", await NextId(buffer, previousActionFinished: 5));
        buffer.DropChunk();
        Assert.Equal("b", await NextId(buffer, previousActionFinished: 5));
    }

    [Fact]
    public async Task AReceiveWaitsForTheNextRead()
    {
        var buffer = new ReceiveBuffer(0);
        var receiving = buffer.ReceiveAsync(previousActionFinished: 0, Long);
        Assert.False(receiving.IsCompleted);

        buffer.OnRead(1, 100, arrivedAt: 1, [At("late", 100)]);
        var (outcome, stanza) = await receiving;

        Assert.Equal(ReceiveOutcome.Stanza, outcome);
        Assert.Equal("late", stanza!.Stanza.Id);
    }

    [Fact]
    public async Task AChunkIsAtMost8KiB()
    {
        var buffer = new ReceiveBuffer(1000);
        buffer.OnRead(1, 1000 + 20000, arrivedAt: 10, [At("a", 1000 + 5000), At("b", 1000 + 9000), At("c", 1000 + 20000)]);

        Assert.Equal("a", await NextId(buffer, previousActionFinished: 20));
        Assert.Equal(1000 + ReceiveBuffer.ChunkBytes, buffer.ReadPosition);
        buffer.DropChunk(); // a was alone in its 8 KiB

        // b ends past the first 8 KiB, so it was still in the socket buffer.
        Assert.Equal("b", await NextId(buffer, previousActionFinished: 30));
        Assert.Equal("c", await NextId(buffer, previousActionFinished: 31)); // 9000..17192 holds nothing complete: the original reads on
    }

    [Fact]
    public async Task AStanzaSplitAcrossReadsBelongsToTheReadThatCompletesIt()
    {
        var buffer = new ReceiveBuffer(0);
        buffer.OnRead(1, 50, arrivedAt: 10, []);
        var receiving = buffer.ReceiveAsync(previousActionFinished: 20, Long);
        await Task.Delay(50);
        Assert.False(receiving.IsCompleted);

        buffer.OnRead(2, 120, arrivedAt: 30, [At("split", 100)]);
        var (_, stanza) = await receiving;
        Assert.Equal("split", stanza!.Stanza.Id);
        Assert.Equal(2, stanza.ReadNumber);
    }

    [Fact]
    public async Task TimesOutAndReportsAClosedConnection()
    {
        var buffer = new ReceiveBuffer(0);
        var (outcome, _) = await buffer.ReceiveAsync(0, TimeSpan.FromMilliseconds(50));
        Assert.Equal(ReceiveOutcome.TimedOut, outcome);

        buffer.OnRead(1, 10, arrivedAt: 1, [At("last", 10)]);
        buffer.OnClosed();
        Assert.Equal("last", await NextId(buffer, previousActionFinished: 2)); // what came before the close is still read
        buffer.DropChunk();
        (outcome, _) = await buffer.ReceiveAsync(3, Long);
        Assert.Equal(ReceiveOutcome.Closed, outcome);
    }

    [Fact]
    public async Task StanzasNobodyReceivesStayUnread()
    {
        var buffer = new ReceiveBuffer(0);
        buffer.OnRead(1, 10, arrivedAt: 1, [At("x", 10)]);
        Assert.Equal(["x"], buffer.Unread().Select(s => s.Stanza.Id));
        Assert.Equal("x", await NextId(buffer, 2));
        Assert.Empty(buffer.Unread());
    }
}
