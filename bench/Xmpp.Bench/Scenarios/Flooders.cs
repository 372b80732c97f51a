using System.Diagnostics;
using System.Text;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// Abusers beside a measured scenario (<c>--flooders N</c>): N accounts send chat messages to one
/// victim account as fast as their sockets take them, while the scenario measures everyone else.
/// With the server's rate limits on, the flood should be held back without raising the others'
/// latency; the result says how much of it got through.
/// </summary>
internal sealed class Flooders : IAsyncDisposable
{
    private readonly XmppConnection?[] _flooders;
    private readonly XmppConnection _victim;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _started = Stopwatch.StartNew();
    private readonly Task[] _sending;
    private readonly Task _receiving;
    private long _sent;
    private long _delivered;

    private Flooders(XmppConnection?[] flooders, XmppConnection victim)
    {
        _flooders = flooders;
        _victim = victim;
        var message = Encoding.UTF8.GetBytes($"<message to='{victim.FullJid}' type='chat'><body>{new string('x', 80)}</body></message>");
        _sending = [.. flooders.OfType<XmppConnection>().Select(f => Task.Run(() => FloodAsync(f, message)))];
        _receiving = victim.ReceiveLoopAsync(element => Interlocked.Increment(ref _delivered), _stop.Token);
    }

    /// <summary>Logs in <paramref name="count"/> flooders from account <paramref name="firstUser"/> on and their victim after them, and starts the flood; null for none.</summary>
    public static async Task<Flooders?> StartAsync(Target target, int firstUser, int count, ErrorLog errors, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return null;
        }

        var victim = await Clients.LoginOneAsync(target, firstUser + count, "victim", presence: true, errors, 16384, cancellationToken)
            ?? throw new InvalidOperationException("the flood's victim could not log in");
        var flooders = await Clients.LoginAllAsync(target, firstUser, count, "flood", count, presence: true, errors, 16384, cancellationToken);
        return new Flooders(flooders, victim);
    }

    /// <summary>Stops the flood and records what was sent and what reached the victim, per second.</summary>
    public async Task StopAsync(ScenarioResult result)
    {
        var elapsed = _started.Elapsed.TotalSeconds;
        await _stop.CancelAsync();
        await Task.WhenAll(_sending);
        await _receiving;
        result.Metrics["flood_sent_per_s"] = Interlocked.Read(ref _sent) / elapsed;
        result.Metrics["flood_delivered_per_s"] = Interlocked.Read(ref _delivered) / elapsed;
        result.Metrics["flooders"] = _sending.Length;
    }

    private async Task FloodAsync(XmppConnection flooder, byte[] message)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await flooder.SendAsync(message, _stop.Token);
                Interlocked.Increment(ref _sent);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped while a send was blocked by the server's flow control.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Clients.CloseAllAsync([.. _flooders, _victim]);
        _stop.Dispose();
    }
}
