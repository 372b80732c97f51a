using System.Net;
using System.Net.Sockets;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// Starts that cannot work end within seconds, non-zero, with one line naming the problem and the
/// thing (file, port, option), never a stack trace; the admin CLI alike. Run as processes, as an
/// operator meets them.
/// </summary>
public sealed class BadStartTests
{
    private static string FreshDataDirectory() => Path.Combine(Path.GetTempPath(), "xmpp-e2e-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_malformed_configuration_file_is_named_with_what_is_wrong_in_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"xmpp-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "{ \"Xmpp\": { \"Domain\": ");
        try
        {
            var (exitCode, output) = await ServerProcess.RunToEndAsync("--config", file, "--c2s-port", "0", "--ws-port", "0", "--management-port", "0");
            BadStart.AssertOneLine(exitCode, output, $"Cannot start: Failed to load configuration from file '{file}': ");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--frobnicate")]
    [InlineData("--c2s-prot", "5223")]
    [InlineData("--Xmp:Domain=example.org")]
    public async Task An_unknown_or_misspelt_option_is_refused(params string[] arguments)
    {
        var (exitCode, output) = await ServerProcess.RunToEndAsync([.. arguments, "--c2s-port", "0", "--ws-port", "0", "--management-port", "0"]);
        BadStart.AssertOneLine(exitCode, output, $"Cannot start: Unknown option {arguments[0]} ");
    }

    [Fact]
    public async Task A_domain_that_is_not_a_domain_name_is_refused()
    {
        var (exitCode, output) = await ServerProcess.RunToEndAsync("--Xmpp:Domain=not a domain", "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Storage:Provider=InMemory");
        BadStart.AssertOneLine(exitCode, output, "Cannot start: Xmpp:Domain 'not a domain' is not a domain name");
    }

    [Fact]
    public async Task A_stream_management_queue_that_could_hold_nothing_is_refused()
    {
        var (exitCode, output) = await ServerProcess.RunToEndAsync("--Xmpp:StreamManagement:MaxUnackedStanzas=0", "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Storage:Provider=InMemory");
        BadStart.AssertOneLine(exitCode, output, "Cannot start: Xmpp:StreamManagement:MaxUnackedStanzas must be positive.");
    }

    [Fact]
    public async Task A_storage_account_given_both_by_connection_string_and_by_service_uri_is_refused()
    {
        var (exitCode, output) = await ServerProcess.RunToEndAsync(
            "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Storage:Provider=AzureTables", "--Storage:ConnectionString=UseDevelopmentStorage=true",
            "--Storage:ServiceUri=https://example.table.core.windows.net", $"--DataDirectory={FreshDataDirectory()}");
        BadStart.AssertOneLine(exitCode, output, "Cannot start: Storage:ConnectionString and Storage:ServiceUri are both set: give one");
    }

    [Fact]
    public async Task An_external_service_without_a_type_is_refused()
    {
        var (exitCode, output) = await ServerProcess.RunToEndAsync(
            "--Xmpp:ExternalServices:Services:0:Host=stun.example.org", "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Storage:Provider=InMemory");
        BadStart.AssertOneLine(exitCode, output, "Cannot start: Xmpp:ExternalServices:Services:0 has no Type");
    }

    [Fact]
    public async Task A_certificate_that_does_not_exist_stops_the_start_rather_than_serving_without_tls()
    {
        var missing = Path.Combine(FreshDataDirectory(), "server.pem");
        var (exitCode, output) = await ServerProcess.RunToEndAsync(
            "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Storage:Provider=InMemory", $"--Gateway:Tls:CertificatePath={missing}", $"--DataDirectory={FreshDataDirectory()}");
        BadStart.AssertOneLine(exitCode, output, $"Cannot start: The TLS certificate {missing} cannot be used: ");
    }

    [Fact]
    public async Task A_client_port_in_use_is_named()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (exitCode, output) = await ServerProcess.RunToEndAsync(
            "--c2s-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ws-port", "0", "--management-port", "0", "--Gateway:ListenAddress=127.0.0.1",
            "--Storage:Provider=InMemory", "--Orleans:SiloPort=0", "--Orleans:GatewayPort=0", $"--DataDirectory={FreshDataDirectory()}");
        BadStart.AssertOneLine(exitCode, output, $"Cannot start: Cannot listen for clients on 127.0.0.1:{port} (Gateway:C2sPort, Gateway:ListenAddress): ");
    }

    [Theory]
    [InlineData("--management-port", "Management:Port, Management:ListenAddress")]
    [InlineData("--ws-port", "Gateway:WebSocketPort, Gateway:ListenAddress")]
    public async Task An_http_port_in_use_is_named(string option, string settings)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (exitCode, output) = await ServerProcess.RunToEndAsync(
            "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", option, port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Gateway:ListenAddress=127.0.0.1", "--Management:ListenAddress=127.0.0.1",
            "--Storage:Provider=InMemory", "--Orleans:SiloPort=0", "--Orleans:GatewayPort=0", $"--DataDirectory={FreshDataDirectory()}");
        BadStart.AssertOneLine(exitCode, output, $"Cannot start: Cannot listen on 127.0.0.1:{port} ({settings}): ");
    }

    [Fact]
    public async Task A_second_server_on_the_same_database_is_refused_while_the_first_runs()
    {
        var data = FreshDataDirectory();
        await using (await ServerProcess.StartAsync($"--DataDirectory={data}"))
        {
            var (exitCode, output) = await ServerProcess.RunToEndAsync(
                "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Orleans:SiloPort=0", "--Orleans:GatewayPort=0", $"--DataDirectory={data}");
            BadStart.AssertOneLine(exitCode, output, $"Cannot start: The database {Path.Combine(data, "xmpp.db")} is in use by another server");
        }

        // Once the first is gone, the database is free again.
        await using var next = await ServerProcess.StartAsync($"--DataDirectory={data}");
    }

    [Fact]
    public async Task The_admin_cli_names_a_configuration_file_that_does_not_exist()
    {
        var missing = Path.Combine(FreshDataDirectory(), "absent.json");
        var (exitCode, output) = await ServerProcess.RunToEndAsync("user", "list", "--config", missing);
        BadStart.AssertOneLine(exitCode, output, $"The configuration file {missing} does not exist.");
    }
}
