using System.Net;

namespace Xmpp.EndToEnd.Tests;

/// <summary>The management port of the server executable, as an orchestrator and a Prometheus scraper use it.</summary>
public sealed class ManagementPortTests
{
    [Fact]
    public async Task The_executable_serves_health_readiness_and_metrics()
    {
        await using var server = await ServerProcess.StartAsync("--Storage:Provider=InMemory", "--management-port", "-1", $"--DataDirectory={Directory.CreateTempSubdirectory("xmpp-mgmt").FullName}");
        var management = await server.ManagementUrlAsync();
        using var http = new HttpClient { BaseAddress = management };

        using (var health = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using (var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        using var metrics = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("\nxmpp_sessions{", text, StringComparison.Ordinal);
        Assert.Contains("\nxmpp_stanzas_total{", text, StringComparison.Ordinal);
        Assert.Contains("\norleans_", text, StringComparison.Ordinal);
        Assert.Contains("\ndotnet_gc_", text, StringComparison.Ordinal);
    }
}
