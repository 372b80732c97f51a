using System.Diagnostics;
using System.Text;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// Counts the events of a fan-out run: items 0..items-1 are published one at a time, each carrying
/// <c>BENCH &lt;timestamp&gt; &lt;run&gt; &lt;item&gt;</c> in its payload, and each of the N recipients
/// should get each item once. Events of other runs (a node's last item, sent again when a
/// recipient comes online or subscribes) carry another run number and are not counted. Records
/// every delivery's latency and, per item, when the last recipient had it.
/// Called from all the receive loops at once: a recipient's own slots are written by its loop only.
/// </summary>
internal sealed class FanoutMeter
{
    private readonly int _recipients;
    private readonly int _firstMeasured;
    private readonly int[] _count;
    private readonly long[] _sent;
    private readonly bool[] _seen;
    private readonly TaskCompletionSource[] _complete;
    private readonly long[] _completedAt;
    private readonly long[] _latency;
    private readonly ErrorLog _errors;
    private int _latencies;

    /// <param name="recipients">N: who should get every item.</param>
    /// <param name="warmup">Items before the measured ones.</param>
    /// <param name="measured">Measured items.</param>
    /// <param name="errors">Where a second copy of an item to one recipient is counted (<c>duplicates</c>), with the first few as samples.</param>
    public FanoutMeter(int recipients, int warmup, int measured, ErrorLog errors)
    {
        _errors = errors;
        _recipients = recipients;
        _firstMeasured = warmup;
        var items = warmup + measured;
        _count = new int[items];
        _sent = new long[items];
        _seen = new bool[(long)items * recipients];
        _complete = [.. Enumerable.Range(0, items).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        _completedAt = new long[items];
        _latency = new long[(long)measured * recipients];
    }

    /// <summary>This run's number, in every payload: tells its events from earlier runs' items.</summary>
    public int Run { get; } = Random.Shared.Next(1, int.MaxValue);

    public int Items => _count.Length;

    public int Recipients => _recipients;

    /// <summary>Items before the measured ones.</summary>
    public int Warmup => _firstMeasured;

    /// <summary>The payload text of item <paramref name="item"/>; records its send time.</summary>
    public string Payload(int item)
    {
        var now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _sent[item], now);
        return $"BENCH {now} {Run} {item}";
    }

    /// <summary>An element a recipient received; false if it is no event of this run.</summary>
    public bool OnEvent(int recipient, ReadOnlySpan<byte> element)
    {
        if (!BenchMessage.TryRead(element, out var timestamp, out var run, out var item) || run != Run || (ulong)item >= (ulong)Items || (uint)recipient >= (uint)_recipients)
        {
            return false;
        }

        var now = Stopwatch.GetTimestamp();
        ref var seen = ref _seen[(item * _recipients) + recipient];
        if (seen)
        {
            _errors.Count("duplicates", Encoding.UTF8.GetString(element));
            return true;
        }

        seen = true;
        if (item >= _firstMeasured)
        {
            _latency[Interlocked.Increment(ref _latencies) - 1] = now - timestamp;
        }

        if (Interlocked.Increment(ref _count[item]) == _recipients)
        {
            Volatile.Write(ref _completedAt[item], now);
            _complete[item].TrySetResult();
        }

        return true;
    }

    /// <summary>Waits until every recipient has item <paramref name="item"/>; false on timeout.</summary>
    public async Task<bool> WaitAllAsync(int item, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _complete[item].Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Stopwatch ticks from sending item <paramref name="item"/> until its last recipient had it; null while incomplete.</summary>
    public long? TimeToAll(int item) =>
        _complete[item].Task.IsCompleted ? Volatile.Read(ref _completedAt[item]) - Volatile.Read(ref _sent[item]) : null;

    /// <summary>Deliveries of the measured items so far.</summary>
    public long MeasuredDeliveries()
    {
        long sum = 0;
        for (var i = _firstMeasured; i < Items; i++)
        {
            sum += Volatile.Read(ref _count[i]);
        }

        return sum;
    }

    /// <summary>Every measured delivery's latency (ticks) so far.</summary>
    public LatencyRecorder Latencies()
    {
        var recorder = new LatencyRecorder();
        var n = Math.Min(Volatile.Read(ref _latencies), _latency.Length);
        for (var i = 0; i < n; i++)
        {
            recorder.Add(_latency[i]);
        }

        return recorder;
    }
}
