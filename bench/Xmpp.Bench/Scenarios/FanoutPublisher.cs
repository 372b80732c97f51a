using System.Diagnostics;
using System.Globalization;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// The publishing half of both fan-out scenarios: one item at a time, the next one sent when every
/// recipient has the previous one (or it timed out), so each item's time to the last recipient is
/// that of one fan-out alone. Unmeasured warm-up items first, then the measured ones with the
/// server's CPU read at the window's edges.
/// </summary>
internal static class FanoutPublisher
{
    /// <summary>Builds the publish request of an item: iq id and payload text → the iq.</summary>
    public delegate string Request(string id, string payload);

    public static async Task RunAsync(
        FanoutClient publisher, Request request, FanoutMeter meter, TimeSpan timeout,
        ServerProcess server, ScenarioResult result, ErrorLog errors, CancellationToken cancellationToken)
    {
        var warmup = meter.Warmup;
        var ignored = new ErrorLog();
        for (var item = 0; item < warmup; item++)
        {
            if (!await PublishAsync(publisher, request, meter, item, timeout, ignored, null, cancellationToken))
            {
                errors.Count("warmup-incomplete");
            }
        }

        var acks = new LatencyRecorder();
        var all = new LatencyRecorder();
        var incomplete = 0;
        var cpu0 = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        for (var item = warmup; item < meter.Items; item++)
        {
            if (!await PublishAsync(publisher, request, meter, item, timeout, errors, acks, cancellationToken))
            {
                incomplete++;
            }
            else if (meter.TimeToAll(item) is { } ticks)
            {
                all.Add(ticks);
            }
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = server.CpuSeconds() - cpu0;
        var inWindow = meter.MeasuredDeliveries();

        // Stragglers of timed-out items still count as delivered (late), not in the window's rate.
        var expected = (long)(meter.Items - warmup) * meter.Recipients;
        var drainUntil = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
        while (meter.MeasuredDeliveries() < expected && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(50, cancellationToken);
        }

        var delivered = meter.MeasuredDeliveries();
        result.Metrics["publishes"] = meter.Items - warmup;
        result.Metrics["elapsed_s"] = elapsed;
        result.Metrics["delivered_per_s"] = inWindow / elapsed;
        result.Metrics["server_cpu_s"] = cpu;
        result.Metrics["delivered_per_cpu_s"] = cpu > 0 ? inWindow / cpu : double.NaN;
        result.Metrics["server_cpu_us_per_delivery"] = inWindow > 0 ? cpu * 1e6 / inWindow : double.NaN;
        foreach (var (name, recorder) in new[] { ("all_delivered", all), ("latency", meter.Latencies()), ("publish_ack", acks) })
        {
            foreach (var (k, v) in LatencyRecorder.Percentiles([recorder], name))
            {
                result.Metrics[k] = v;
            }
        }

        result.Counters["published"] = meter.Items - warmup;
        result.Counters["delivered"] = delivered;
        result.Counters["undelivered"] = Math.Max(0, expected - delivered);
        result.Counters["incomplete_publishes"] = incomplete;
    }

    /// <summary>One item: publish, wait for its result and for every recipient; false if either failed.</summary>
    private static async Task<bool> PublishAsync(
        FanoutClient publisher, Request request, FanoutMeter meter, int item, TimeSpan timeout, ErrorLog errors, LatencyRecorder? acks, CancellationToken cancellationToken)
    {
        var id = "pub" + item.ToString(CultureInfo.InvariantCulture);
        var start = Stopwatch.GetTimestamp();
        string reply;
        try
        {
            reply = await publisher.QueryAsync(id, request(id, meter.Payload(item)), timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            errors.Count("publish-timeout");
            return false;
        }

        if (XmlScan.Attribute(reply, "type") != "result")
        {
            errors.Count("publish-error", reply);
            return false;
        }

        acks?.Add(Stopwatch.GetTimestamp() - start);
        return await meter.WaitAllAsync(item, timeout, cancellationToken);
    }
}
