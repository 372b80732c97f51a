namespace Xmpp.Server.Management;

/// <summary>
/// The <c>Management</c> section: the HTTP port for operators and orchestrators — <c>/healthz</c>,
/// <c>/readyz</c>, <c>/metrics</c> and, when turned on, the Orleans Dashboard at <c>/dashboard</c>.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>
    /// 9464, the port Prometheus' list of exporter ports gives OpenTelemetry's exporter; 0 turns
    /// the management endpoint off; a negative value picks a free port (tests).
    /// </summary>
    public int Port { get; set; } = 9464;

    /// <summary>
    /// Loopback by default: metrics and the dashboard describe the server's users and have no
    /// authentication of their own. A container sets <c>*</c> (every interface) for its
    /// orchestrator's probes and scraper, behind its network's rules.
    /// </summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Serves the Orleans Dashboard at <c>/dashboard</c>; off by default (it profiles every grain call while on).</summary>
    public bool Dashboard { get; set; }
}
