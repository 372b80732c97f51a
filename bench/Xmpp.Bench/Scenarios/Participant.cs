using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>One logged-in client of a traffic scenario: what it sends, what it received.</summary>
internal sealed class Participant(int index, XmppConnection connection, int window) : IDisposable
{
    private long _deliveredTotal;

    public int Index { get; } = index;

    public XmppConnection Connection { get; } = connection;

    /// <summary>Messages this client may still have in flight.</summary>
    public SemaphoreSlim Window { get; } = new(window, int.MaxValue);

    /// <summary>Where this client sends: the template around the body text (null: receive only).</summary>
    public (byte[] Prefix, byte[] Suffix)? Destination { get; set; }

    public long Sent { get; set; }

    public LatencyRecorder Latency { get; } = new();

    public long DeliveredInWindow { get; set; }

    public long DeliveredTotal => Volatile.Read(ref _deliveredTotal);

    /// <summary>Elements other than measured messages (joins, iq results), for the scenario's own use.</summary>
    public Action<ReadOnlyMemory<byte>>? OnOther { get; set; }

    public void CountDelivered() => Interlocked.Increment(ref _deliveredTotal);

    public void Dispose() => Window.Dispose();
}
