using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// OpenTelemetry exports every meter of a name in the process: another test's server running in
/// the same test process at the same time would add its counts to the one these tests read.
/// </summary>
[CollectionDefinition(nameof(ProcessWideMeters), DisableParallelization = true)]
public sealed class ProcessWideMeters;

/// <summary>The management port: health, readiness, Prometheus metrics and the optional Orleans Dashboard.</summary>
[Collection(nameof(ProcessWideMeters))]
public sealed class ManagementEndpointTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Health_and_readiness_answer_on_the_management_port()
    {
        await using var server = await TestServer.StartAsync("--management-port", "-1");
        var management = server.Server.ManagementEndpoint!;

        var (health, healthText) = await GetAsync(management, "/healthz");
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (health, healthText.Trim()));
        var (ready, readyText) = await GetAsync(management, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.StartsWith("Healthy: active in cluster xmpp, c2s on ", readyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_waiting_to_be_resumed_are_counted_apart_from_connections()
    {
        await using var server = await TestServer.StartAsync("--management-port", "-1");
        await server.AddUserAsync("alice", "pencil");
        var sm = await StreamManagementClient.EnableAsync(await server.LoginAsync("alice", "pencil", "phone"), resume: true);
        sm.Client.Abort();

        MetricsScrape metrics = null!;
        await Eventually.WaitUntilAsync(async () => (metrics = await MetricsScrape.ReadAsync(server.Server.ManagementEndpoint!)).Value("xmpp_sessions_hibernating") == 1);
        Assert.Equal(0, metrics.Value("xmpp_sessions", ("transport", "tcp")));
    }

    [Fact]
    public async Task Readiness_fails_once_the_server_begins_to_stop()
    {
        await using var server = await TestServer.StartAsync("--management-port", "-1");
        var health = server.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(r => r.Tags.Contains("ready"))).Status);

        server.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        var report = await health.CheckHealthAsync(r => r.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal("the server is stopping", report.Entries.Single().Value.Description);
    }

    [Fact]
    public async Task Metrics_count_sessions_logins_stanzas_rooms_and_throttling()
    {
        await using var server = await TestServer.StartAsync("--management-port", "-1", "--Gateway:Auth:AddressFailureThreshold=1");
        await server.AddUserAsync("alice", "pencil");
        await server.AddUserAsync("bob", "pencil");
        await using var alice = await server.LoginAsync("alice", "pencil", "home");
        await using (var intruder = await server.ConnectAsync())
        {
            await intruder.OpenStreamAsync();
            Assert.NotNull(await intruder.AuthenticateAsync("PLAIN", "bob", "wrong"));
        }

        await alice.SendAsync("<message to='alice@localhost/home' type='chat' id='m1'><body>note to self</body></message>");
        await alice.ReadUntilAsync(e => e.Id == "m1");
        await alice.SendAsync("<presence to='lobby@conference.localhost/Alice'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        await alice.ReadUntilAsync(e => e.Name == Stanza.Presence && e.From == "lobby@conference.localhost/Alice");

        // The failed connection is gone once the server has seen it close.
        MetricsScrape metrics = null!;
        await Eventually.WaitUntilAsync(async () => (metrics = await MetricsScrape.ReadAsync(server.Server.ManagementEndpoint!)).Value("xmpp_sessions", ("transport", "tcp")) == 1);
        Assert.Equal(1, metrics.Value("xmpp_logins_total", ("mechanism", "SCRAM-SHA-256")));
        Assert.Equal(1, metrics.Value("xmpp_login_failures_total", ("mechanism", "PLAIN")));
        Assert.Equal(1, metrics.Value("xmpp_throttled_addresses_total"));
        Assert.Equal(1, metrics.Value("xmpp_stanzas_total", ("direction", "in"), ("kind", "message")));
        Assert.Equal(2, metrics.Value("xmpp_stanzas_total", ("direction", "out"), ("kind", "message"))); // the note, and the room's subject on joining
        Assert.True(metrics.Value("xmpp_stanzas_total", ("direction", "out"), ("kind", "presence")) >= 1);
        Assert.Equal(1, metrics.Value("xmpp_muc_rooms"));
        Assert.Equal(1, metrics.Value("xmpp_muc_occupants"));
        Assert.True(metrics.HasSeries("orleans_"), "Orleans' meters are exported");
        Assert.True(metrics.HasSeries("dotnet_"), ".NET runtime's meters are exported");
    }

    [Fact]
    public async Task Each_port_serves_only_its_own_paths()
    {
        await using var server = await TestServer.StartAsync("--management-port", "-1", "--ws-port", "-1");
        var management = server.Server.ManagementEndpoint!;
        var webSocket = server.Server.WebSocketEndpoint!;

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(webSocket, "/metrics")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(webSocket, "/readyz")).Status);
        Assert.Equal(HttpStatusCode.UpgradeRequired, (await GetAsync(webSocket, "/xmpp-websocket")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(management, "/xmpp-websocket")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(management, "/dashboard")).Status); // off unless asked for
    }

    [Fact]
    public async Task The_Orleans_dashboard_is_served_when_turned_on()
    {
        await using var server = await TestServer.StartAsync("--management-port", "-1", "--Management:Dashboard=true");
        var (status, page) = await GetAsync(server.Server.ManagementEndpoint!, "/dashboard/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Port_zero_turns_the_management_endpoint_off()
    {
        await using var server = await TestServer.StartAsync("--management-port", "0");
        Assert.Null(server.Server.ManagementEndpoint);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(IPEndPoint endpoint, string path)
    {
        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{endpoint.Port}{path}"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
