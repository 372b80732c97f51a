using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using Xmpp.Gateway.Diagnostics;
using Xmpp.Grains.Diagnostics;
using Xmpp.Grains.Muc;

namespace Xmpp.Server.Management;

/// <summary>
/// The management port (<see cref="ManagementOptions"/>): <c>GET /healthz</c> answers 200 while
/// the process runs; <c>GET /readyz</c> 200 when the server takes clients, else 503
/// (<see cref="ReadinessCheck"/>); <c>GET /metrics</c> is the Prometheus text format of the
/// server's own <c>xmpp_…</c> series, Orleans' meters and the .NET runtime's, through
/// OpenTelemetry; <c>/dashboard</c> the Orleans Dashboard when turned on. It shares Kestrel with
/// the WebSocket endpoint, but each port serves only its own paths.
/// </summary>
internal static class ManagementEndpoint
{
    /// <summary>The meters <c>/metrics</c> exports: the server's, Orleans' and the runtime's (.NET 9+ has them built in).</summary>
    private static readonly string[] Meters = [GatewayMetrics.MeterName, MucMetrics.MeterName, LimitMetrics.MeterName, "Microsoft.Orleans", "System.Runtime"];

    private static readonly ManagementPath Marker = new();

    public static void AddServices(IHostApplicationBuilder builder, ManagementOptions options)
    {
        if (options.Port == 0)
        {
            return; // no endpoint, no exporter: nothing listens to the meters
        }

        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>(ReadinessCheck.Name, tags: [ReadinessCheck.Name]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Meters)
            // Each scrape sees the figures of that moment (the exporter's default caches them 300 ms).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        if (options.Dashboard)
        {
            builder.Services.AddOrleans(silo => silo.AddDashboard());
        }
    }

    /// <summary>
    /// Maps the management paths, answered only on the port of <paramref name="listen"/> (known
    /// once Kestrel started); every other path there, and these paths on any other port, are 404.
    /// </summary>
    public static void Map(WebApplication app, ManagementOptions options, Func<ListenOptions?> listen)
    {
        app.UseRouting();
        app.Use((context, next) =>
        {
            var onManagementPort = listen()?.IPEndPoint is { } endpoint && context.Connection.LocalPort == endpoint.Port;
            var managementPath = context.GetEndpoint()?.Metadata.GetMetadata<ManagementPath>() is not null;
            if (onManagementPort != managementPath)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });

        if (options.Port == 0)
        {
            return;
        }

        // Made now, so that their series are there (at zero) before the first client or room.
        _ = app.Services.GetRequiredService<GatewayMetrics>();
        _ = app.Services.GetRequiredService<MucMetrics>();

        var management = app.MapGroup(string.Empty).WithMetadata(Marker);
        management.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        management.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadinessCheck.Name), ResponseWriter = WriteAsync });
        management.MapPrometheusScrapingEndpoint("/metrics");
        if (options.Dashboard)
        {
            management.MapOrleansDashboard("/dashboard");
        }
    }

    /// <summary>One line an operator can read: the status, and why when not healthy.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var line = new StringBuilder(report.Status.ToString());
        foreach (var (_, entry) in report.Entries)
        {
            line.Append(": ").Append(entry.Description);
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(line.Append('\n').ToString());
    }

    /// <summary>Endpoint metadata marking the management port's paths.</summary>
    private sealed class ManagementPath;
}
