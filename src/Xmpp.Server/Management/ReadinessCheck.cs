using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Xmpp.Gateway.Tcp;

namespace Xmpp.Server.Management;

/// <summary>
/// <c>/readyz</c>: this server takes clients — its silo is active in its cluster (so its users'
/// grains can run here and reach the others) and its c2s listener accepts connections. Turns
/// unready as soon as the server begins to stop, so that a load balancer stops sending new
/// clients before the listeners close. The WebSocket and management listeners share the HTTP
/// server that answers this request.
/// </summary>
internal sealed class ReadinessCheck(
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    C2sListener c2s,
    IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Name = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        var result =
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("the server is stopping")
            : status != SiloStatus.Active ? HealthCheckResult.Unhealthy($"the silo is {status} in cluster {silo.ClusterId}, not active")
            : !c2s.IsAccepting ? HealthCheckResult.Unhealthy("the c2s listener is not open")
            : HealthCheckResult.Healthy($"active in cluster {silo.ClusterId}, c2s on {c2s.LocalEndPoint}");
        return Task.FromResult(result);
    }
}
