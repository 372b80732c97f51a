using System.Diagnostics;
using System.Net.Sockets;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// Drives message traffic among logged-in participants: either a window of W messages in flight
/// per sender (closed loop, measures capacity) or a fixed total rate (open loop, measures latency).
/// Warm-up, a measured window (deliveries counted by receive time, server CPU read at its edges),
/// then a bounded drain; whatever is still missing is reported as undelivered.
/// </summary>
internal sealed class TrafficEngine(Participant[] participants, ErrorLog errors, bool releaseOnlyOwnEcho)
{
    private long _measureStart = long.MaxValue;
    private long _measureEnd = long.MaxValue;

    /// <summary>Starts the receive loop of every participant; returns the loops (true: the server ended the stream).</summary>
    public Task<bool>[] StartReceiving(CancellationToken stop) =>
        participants.Select(p => p.Connection.ReceiveLoopAsync(bytes => OnElement(p, bytes.Span, bytes), stop)).ToArray();

    private void OnElement(Participant me, ReadOnlySpan<byte> element, ReadOnlyMemory<byte> memory)
    {
        if (!element.StartsWith("<message"u8))
        {
            me.OnOther?.Invoke(memory);
            return;
        }

        if (!BenchMessage.TryRead(element, out var timestamp, out var sender, out _))
        {
            me.OnOther?.Invoke(memory);
            return;
        }

        if (BenchMessage.IsError(element))
        {
            errors.Count("message-error", System.Text.Encoding.UTF8.GetString(element));
            Release(sender);
            return;
        }

        var now = Stopwatch.GetTimestamp();
        me.CountDelivered();
        if (now >= Volatile.Read(ref _measureStart) && now <= Volatile.Read(ref _measureEnd))
        {
            me.DeliveredInWindow++;
            me.Latency.Add(now - timestamp);
        }

        if (!releaseOnlyOwnEcho || sender == me.Index)
        {
            Release(sender);
        }
    }

    private void Release(int sender)
    {
        if ((uint)sender < (uint)participants.Length)
        {
            participants[sender].Window.Release();
        }
    }

    /// <summary>Runs the traffic and fills <paramref name="result"/>. <paramref name="fanOut"/>: deliveries per message sent.</summary>
    public async Task RunAsync(ServerProcess server, TimeSpan warmup, TimeSpan duration, double totalRate, int fanOut, ScenarioResult result, CancellationToken cancellationToken)
    {
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var senders = participants.Where(p => p.Destination is not null).ToArray();
        var perSenderRate = totalRate > 0 ? totalRate / senders.Length : 0;
        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _measureEnd, start + (long)((warmup + duration).TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref _measureStart, start + (long)(warmup.TotalSeconds * Stopwatch.Frequency));
        // At a fixed rate the senders' schedules are spread evenly over one interval: 2,000 msg/s from
        // 100 senders is a message every 0.5 ms, not a burst of 100 in the same millisecond every 50 ms
        // (which measured how fast a server drains a burst, not its latency at that rate).
        var phase = perSenderRate > 0 ? Stopwatch.Frequency / perSenderRate / senders.Length : 0;
        var sending = senders.Select((p, k) => SendLoopAsync(p, start + (long)(k * phase), perSenderRate, stopSending.Token)).ToArray();

        await Task.Delay(warmup, cancellationToken);
        var cpu0 = server.CpuSeconds();
        await Task.Delay(duration, cancellationToken);
        var cpu = server.CpuSeconds() - cpu0;
        await stopSending.CancelAsync();
        await Task.WhenAll(sending);

        var sent = senders.Sum(p => p.Sent);
        var expected = sent * fanOut;
        var drainUntil = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
        while (participants.Sum(p => p.DeliveredTotal) < expected && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(50, cancellationToken);
        }

        var delivered = participants.Sum(p => p.DeliveredTotal);
        var inWindow = participants.Sum(p => p.DeliveredInWindow);
        result.Metrics["delivered_per_s"] = inWindow / duration.TotalSeconds;
        result.Metrics["server_cpu_s"] = cpu;
        result.Metrics["delivered_per_cpu_s"] = cpu > 0 ? inWindow / cpu : double.NaN;
        // The same, the other way up: at a fixed rate below saturation this is the cost of waking
        // up for each message, which per-CPU-second throughput hides (issue 18's curve).
        result.Metrics["server_cpu_us_per_delivery"] = inWindow > 0 ? cpu * 1e6 / inWindow : double.NaN;
        result.Metrics["duration_s"] = duration.TotalSeconds;
        foreach (var (k, v) in LatencyRecorder.Percentiles(participants.Select(p => p.Latency), "latency"))
        {
            result.Metrics[k] = v;
        }

        result.Counters["sent"] = sent;
        result.Counters["delivered"] = delivered;
        result.Counters["undelivered"] = Math.Max(0, expected - delivered);
    }

    private async Task SendLoopAsync(Participant p, long start, double rate, CancellationToken stop)
    {
        await Task.Yield();
        var (prefix, suffix) = p.Destination!.Value;
        var buffer = new byte[64 * 1024];
        var interval = rate > 0 ? Stopwatch.Frequency / rate : 0;
        long sequence = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (interval > 0)
                {
                    var wait = start + (long)(sequence * interval) - Stopwatch.GetTimestamp();
                    if (wait > Stopwatch.Frequency / 1000)
                    {
                        await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), stop);
                    }
                }

                await p.Window.WaitAsync(stop);
                var batch = 1;
                while (interval == 0 && batch < 32 && p.Window.Wait(0, CancellationToken.None))
                {
                    batch++;
                }

                var length = 0;
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < batch; i++)
                {
                    length += BenchMessage.Write(buffer.AsSpan(length), prefix, suffix, now, p.Index, sequence++);
                }

                await p.Connection.SendAsync(buffer.AsMemory(0, length), CancellationToken.None);
                p.Sent += batch;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // End of the sending phase.
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            errors.Count("send-failed", e);
        }
    }
}
