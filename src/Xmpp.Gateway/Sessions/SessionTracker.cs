using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Gateway.Sasl;
using Xmpp.Grains;

namespace Xmpp.Gateway.Sessions;

/// <summary>
/// The live sessions of this node: one shared heartbeat drives every session's timeouts (cheaper
/// than a timer per connection, as Kestrel's heartbeat), connections per address are counted, and
/// when the application stops every session is closed with <c>system-shutdown</c> (the listeners
/// then wait for them up to the host's shutdown timeout and abort the rest). Admission refuses a
/// connection over its address's limit or over the cap on connections not yet authenticated.
/// Sessions that lost their connection and wait to be resumed (XEP-0198) are held here too, with
/// their deadlines: the heartbeat ends those not resumed in time, and a shutdown ends them all.
/// </summary>
public sealed class SessionTracker : IDisposable
{
    private readonly ConcurrentDictionary<XmppSession, byte> _sessions = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private readonly ConcurrentDictionary<XmppSession, long> _hibernating = new(ReferenceEqualityComparer.Instance);
    private readonly GatewayLimitsOptions _limits;
    private readonly AuthThrottle _throttle;
    private readonly ITimer _timer;
    private readonly CancellationTokenRegistration _stopping;
    private readonly ILogger<SessionTracker> _logger;
    private int _beating;
    private int _unauthenticated;
    private int _refusingUnauthenticated;
    private volatile bool _shuttingDown;

    public SessionTracker(
        IOptions<GatewayOptions> options, IOptions<XmppOptions> xmpp, AuthThrottle throttle, TimeProvider time, ILogger<SessionTracker> logger, IHostApplicationLifetime? lifetime = null)
    {
        _limits = options.Value.Limits;
        _logger = logger;
        _throttle = throttle;
        var period = HeartbeatPeriod(_limits, xmpp.Value.StreamManagement);
        _timer = time.CreateTimer(_ => Beat(), null, period, period);
        _stopping = lifetime?.ApplicationStopping.Register(static t => ((SessionTracker)t!).CloseAll(), this) ?? default;
    }

    private static readonly StreamError Shutdown = new(StreamError.SystemShutdown, "The server is shutting down");

    /// <summary>Sessions currently held: open, or waiting to be resumed.</summary>
    public int Count => _sessions.Count + _hibernating.Count;

    /// <summary>Sessions waiting to be resumed.</summary>
    public int HibernatingCount => _hibernating.Count;

    /// <summary>A snapshot of the open sessions (diagnostics and tests).</summary>
    internal IReadOnlyCollection<XmppSession> Sessions => [.. _sessions.Keys];

    /// <summary>Connections admitted and not authenticated yet.</summary>
    public int UnauthenticatedCount => Volatile.Read(ref _unauthenticated);

    /// <summary>Adds a new, unauthenticated session, or says why it may not stay.</summary>
    internal Admission TryAdd(XmppSession session, IPAddress? address)
    {
        if (_shuttingDown)
        {
            session.Close(Shutdown);
        }

        var perAddress = address is not null && _limits.MaxConnectionsPerAddress > 0 && !IPAddress.IsLoopback(address);
        if (perAddress && _perAddress.AddOrUpdate(address!, 1, static (_, n) => n + 1) > _limits.MaxConnectionsPerAddress)
        {
            Release(address!);
            return Admission.AddressFull;
        }

        if (Interlocked.Increment(ref _unauthenticated) > _limits.MaxUnauthenticatedConnections && _limits.MaxUnauthenticatedConnections > 0)
        {
            Interlocked.Decrement(ref _unauthenticated);
            if (perAddress)
            {
                Release(address!);
            }

            if (Interlocked.Exchange(ref _refusingUnauthenticated, 1) == 0)
            {
                _logger.LogWarning("{Count} connections are negotiating (Gateway:Limits:MaxUnauthenticatedConnections); refusing new ones until some authenticate or go", _limits.MaxUnauthenticatedConnections);
            }

            return Admission.TooManyUnauthenticated;
        }

        Volatile.Write(ref _refusingUnauthenticated, 0);
        _sessions.TryAdd(session, 0);
        if (_shuttingDown)
        {
            session.Close(Shutdown); // raced CloseAll
        }

        return Admission.Admitted;
    }

    /// <summary>An admitted session authenticated: it no longer counts against the cap on unauthenticated ones.</summary>
    internal void Authenticated() => Interlocked.Decrement(ref _unauthenticated);

    /// <summary>
    /// RFC 6120 §4.9.3.21: every session learns that the server is going down. Hibernating ones end
    /// (hibernation does not survive its server): what their clients did not acknowledge goes back
    /// to their accounts, and the listeners wait for that as for the rest.
    /// </summary>
    public void CloseAll()
    {
        _shuttingDown = true;
        _logger.LogInformation("Shutdown begun: {Count} sessions are told system-shutdown, {Hibernating} waiting to be resumed end", _sessions.Count, _hibernating.Count);
        foreach (var (session, _) in _sessions)
        {
            session.Close(Shutdown);
        }

        foreach (var (session, _) in _hibernating)
        {
            session.EndHibernation();
        }
    }

    /// <summary>
    /// A session lost its connection and waits to be resumed until <paramref name="expiresAt"/>
    /// (<see cref="Environment.TickCount64"/>); false while the server stops (it ends instead).
    /// </summary>
    internal bool Hibernate(XmppSession session, long expiresAt)
    {
        if (_shuttingDown)
        {
            return false;
        }

        _hibernating[session] = expiresAt;
        if (_shuttingDown)
        {
            _hibernating.TryRemove(session, out _); // raced CloseAll
            return false;
        }

        return true;
    }

    /// <summary>A hibernating session was resumed, or has ended (after its account was told).</summary>
    internal void Forget(XmppSession session) => _hibernating.TryRemove(session, out _);

    /// <summary>Drops every connection still open (the server stops and they did not close in time).</summary>
    public void AbortAll(string reason)
    {
        _logger.LogWarning("{Count} sessions did not close in time and are dropped ({Reason})", _sessions.Count, reason);
        foreach (var (session, _) in _sessions)
        {
            session.Abort(reason);
        }

        _hibernating.Clear(); // their accounts did not answer in time either
    }

    /// <summary>An admitted session ended (<paramref name="authenticated"/>: whether it had told <see cref="Authenticated"/>).</summary>
    internal void Remove(XmppSession session, IPAddress? address, bool authenticated)
    {
        _sessions.TryRemove(session, out _);
        if (!authenticated)
        {
            Interlocked.Decrement(ref _unauthenticated);
        }

        if (address is not null && _limits.MaxConnectionsPerAddress > 0 && !IPAddress.IsLoopback(address))
        {
            Release(address);
        }
    }

    private void Release(IPAddress address)
    {
        if (_perAddress.AddOrUpdate(address, 0, static (_, n) => n - 1) <= 0)
        {
            _perAddress.TryRemove(KeyValuePair.Create(address, 0));
        }
    }

    private void Beat()
    {
        // A slow beat must not overlap the next one.
        if (Interlocked.Exchange(ref _beating, 1) == 1)
        {
            return;
        }

        try
        {
            // Enumerating the dictionary itself takes no snapshot (Keys would copy every beat).
            var now = Environment.TickCount64;
            foreach (var (session, _) in _sessions)
            {
                session.OnHeartbeat(now);
            }

            foreach (var (session, expiresAt) in _hibernating)
            {
                if (now >= expiresAt)
                {
                    session.EndHibernation(); // no-op once it is ending: it leaves when its account was told
                }
            }

            _throttle.Sweep();
        }
        finally
        {
            Volatile.Write(ref _beating, 0);
        }
    }

    /// <summary>Once a second, or a quarter of the shortest timeout when one is configured shorter (tests).</summary>
    private static TimeSpan HeartbeatPeriod(GatewayLimitsOptions limits, StreamManagementOptions streamManagement)
    {
        var period = TimeSpan.FromSeconds(1);
        foreach (var timeout in new[]
        {
            limits.IdleTimeout, limits.NegotiationTimeout, limits.WhitespacePingInterval, limits.CloseTimeout, limits.SendStallTimeout,
            streamManagement.ResumeTimeout, streamManagement.RequestAfter,
        })
        {
            if (timeout > TimeSpan.Zero && timeout / 4 < period)
            {
                period = timeout / 4;
            }
        }

        return period < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : period;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _timer.Dispose();
    }
}

/// <summary>What became of a new connection at admission.</summary>
internal enum Admission
{
    Admitted,

    /// <summary>Its address has the most connections allowed (<c>policy-violation</c>).</summary>
    AddressFull,

    /// <summary>Too many connections are negotiating on this server (<c>resource-constraint</c>).</summary>
    TooManyUnauthenticated,
}
