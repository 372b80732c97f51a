using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Gateway.Diagnostics;
using Xmpp.Gateway.Registration;
using Xmpp.Grains.Diagnostics;
using Xmpp.Gateway.Sasl;
using Xmpp.Gateway.Tls;
using Xmpp.Grains;
using Orleans;
using Xmpp.Grains.Routing;
using Xmpp.Storage;

namespace Xmpp.Gateway.Sessions;

/// <summary>
/// Everything sessions share, resolved once: each session holds this one reference instead of a
/// dozen, which keeps an idle connection small.
/// </summary>
public sealed class SessionContext
{
    public SessionContext(
        IOptions<GatewayOptions> options,
        IOptions<XmppOptions> xmpp,
        IGrainFactory grains,
        SessionDirectory directory,
        SessionHub hub,
        IAccountStore accounts,
        CertificateProvider certificates,
        AuthThrottle throttle,
        SessionTracker tracker,
        GatewayMetrics metrics,
        RegistrationThrottle registrations,
        LimitMetrics limitMetrics,
        IEnumerable<IStreamFeatureProvider> featureProviders,
        ILoggerFactory loggerFactory)
    {
        Options = options.Value;
        Limits = Options.Limits;
        StreamManagement = xmpp.Value.StreamManagement;
        StanzasPerSecond = Math.Max(0, xmpp.Value.Limits.StanzasPerSecond);
        StanzaRateLease = StanzasPerSecond > 0 ? Math.Max(1, StanzasPerSecond / 2) : 0;
        Domain = Jid.TryPrepareDomain(xmpp.Value.Domain, out var domain, out var reason)
            ? domain
            : throw new InvalidOperationException($"Xmpp:Domain '{xmpp.Value.Domain}' is not a valid domain: {reason}");
        Grains = grains;
        Directory = directory;
        Hub = hub;
        Certificates = certificates;
        Throttle = throttle;
        Tracker = tracker;
        Metrics = metrics;
        Registrations = registrations;
        LimitMetrics = limitMetrics;
        Admins = new HashSet<string>(xmpp.Value.Admins, StringComparer.Ordinal);
        FeatureProviders = [.. featureProviders];
        Logger = loggerFactory.CreateLogger("Xmpp.Gateway.Session");
        Sasl = new SaslContext(Domain, accounts, Options.OpenAuthentication, Options.Auth.ScramIterations, RandomNumberGenerator.GetBytes(32));
        LimitsBeforeAuthentication = new XmlParserLimits(Limits.MaxStanzaBytesBeforeAuthentication, Limits.MaxDepth, Limits.MaxAttributes);
        LimitsAfterAuthentication = new XmlParserLimits(Limits.MaxStanzaBytes, Limits.MaxDepth, Limits.MaxAttributes);
    }

    public GatewayOptions Options { get; }

    public GatewayLimitsOptions Limits { get; }

    /// <summary>XEP-0198 (section "Xmpp:StreamManagement").</summary>
    public StreamManagementOptions StreamManagement { get; }

    /// <summary>Stanzas per second an account's sessions may send together (Xmpp:Limits:StanzasPerSecond); 0: no limit.</summary>
    public int StanzasPerSecond { get; }

    /// <summary>
    /// How many stanzas of its account's rate (Xmpp:Limits:StanzasPerSecond) a session takes at a
    /// time, half a second's worth: one grain call per lease, not per stanza; 0: no account rate.
    /// </summary>
    public int StanzaRateLease { get; }

    /// <summary>The served domain (RFC 7622 prepared form).</summary>
    public string Domain { get; }

    public IGrainFactory Grains { get; }

    /// <summary>The sessions bound on this silo, which grains here push to without an Orleans message.</summary>
    public SessionDirectory Directory { get; }

    /// <summary>This silo's hub, through which grains of other silos reach its sessions.</summary>
    public SessionHub Hub { get; }

    public CertificateProvider Certificates { get; }

    public AuthThrottle Throttle { get; }

    public SessionTracker Tracker { get; }

    public GatewayMetrics Metrics { get; }

    public RegistrationThrottle Registrations { get; }

    public LimitMetrics LimitMetrics { get; }

    /// <summary>The service administrators' bare JIDs (Xmpp:Admins).</summary>
    public IReadOnlySet<string> Admins { get; }

    internal SaslContext Sasl { get; }

    public IReadOnlyList<IStreamFeatureProvider> FeatureProviders { get; }

    public ILogger Logger { get; }

    public XmlParserLimits LimitsBeforeAuthentication { get; }

    public XmlParserLimits LimitsAfterAuthentication { get; }

    /// <summary>Whether STARTTLS can be offered at all (a certificate is there).</summary>
    public bool TlsAvailable => Certificates.Context is not null;

    /// <summary>The handshake options, shared by every STARTTLS.</summary>
    public SslServerAuthenticationOptions? TlsOptions => _tlsOptions ??= Certificates.Context is { } context
        ? new SslServerAuthenticationOptions { ServerCertificateContext = context, ClientCertificateRequired = false }
        : null;

    private SslServerAuthenticationOptions? _tlsOptions;

    /// <summary>Loopback connections are treated as confidential when configured so (tests, local clients, a TLS proxy).</summary>
    public bool IsTrustedLoopback(IPEndPoint? remote) =>
        Options.LoopbackIsSecure && remote is not null && IPAddress.IsLoopback(remote.Address);
}
