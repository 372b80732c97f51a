using System.Diagnostics.Metrics;
using Xmpp.Gateway.Sessions;
using Xmpp.Gateway.Transport;

namespace Xmpp.Gateway.Diagnostics;

/// <summary>
/// The gateway's instruments, on the meter <see cref="MeterName"/> (exported by the server's
/// <c>/metrics</c> as <c>xmpp_…</c> series): connections by transport, logins and failed logins by
/// mechanism, addresses refused after failed logins, stanzas to and from clients by kind,
/// sessions dropped because their client did not read what was queued for it, and sessions that
/// lost their connection and wait to be resumed (XEP-0198).
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Xmpp.Gateway";

    private static readonly string[] Transports = ["tcp", "websocket"]; // by TransportKind

    private readonly long[] _sessions = new long[Transports.Length];
    private readonly Counter<long> _logins;
    private readonly Counter<long> _loginFailures;
    private readonly Counter<long> _throttledAddresses;
    private readonly Counter<long> _sendQueueDrops;
    private readonly StanzaCounts _stanzas = new();

    public GatewayMetrics(IMeterFactory meters, SessionTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(tracker);
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter(
            "xmpp.sessions", ObserveSessions, "{session}", "Client connections open on this server (authenticated or not), by transport (tcp, websocket)");
        meter.CreateObservableUpDownCounter(
            "xmpp.sessions.hibernating", () => tracker.HibernatingCount, "{session}",
            "Sessions on this server whose connection dropped and that wait to be resumed (XEP-0198, Xmpp:StreamManagement:ResumeTimeout); not in xmpp.sessions");
        _logins = meter.CreateCounter<long>("xmpp.logins", "{login}", "Successful SASL authentications, by mechanism");
        _loginFailures = meter.CreateCounter<long>("xmpp.login_failures", "{login}", "Failed SASL authentications, by mechanism");
        _throttledAddresses = meter.CreateCounter<long>(
            "xmpp.throttled_addresses", "{address}", "Times an address was refused logins for a while after repeated failures (Gateway:Auth)");
        _sendQueueDrops = meter.CreateCounter<long>(
            "xmpp.send_queue.drops", "{session}",
            "Sessions disconnected because their client did not read what was queued for it (Gateway:Limits:MaxPendingSendBytes); what it did not get went back to its account");
        meter.CreateObservableCounter(
            "xmpp.stanzas", _stanzas.Observe, "{stanza}", "Stanzas received from clients (direction=in) and written to them (direction=out), by kind (message, presence, iq)");
    }

    internal void SessionOpened(TransportKind transport) => Interlocked.Increment(ref _sessions[(int)transport]);

    internal void SessionClosed(TransportKind transport) => Interlocked.Decrement(ref _sessions[(int)transport]);

    internal void LoggedIn(string? mechanism) => _logins.Add(1, Mechanism(mechanism));

    internal void LoginFailed(string? mechanism) => _loginFailures.Add(1, Mechanism(mechanism));

    internal void AddressThrottled() => _throttledAddresses.Add(1);

    internal void SendQueueDropped() => _sendQueueDrops.Add(1);

    internal void StanzaIn(Element stanza) => _stanzas.Count(StanzaCounts.In, stanza.Name);

    internal void StanzaOut(Element stanza) => _stanzas.Count(StanzaCounts.Out, stanza.Name);

    // Both transports are always reported, at 0 too: a series that appears only with the first
    // connection would leave dashboards and alerts with nothing to show before it.
    private IEnumerable<Measurement<long>> ObserveSessions()
    {
        for (var i = 0; i < Transports.Length; i++)
        {
            yield return new Measurement<long>(Interlocked.Read(ref _sessions[i]), new KeyValuePair<string, object?>("transport", Transports[i]));
        }
    }

    private static KeyValuePair<string, object?> Mechanism(string? mechanism) => new("mechanism", mechanism ?? "none");
}
