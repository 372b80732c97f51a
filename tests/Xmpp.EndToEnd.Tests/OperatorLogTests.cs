using Xmpp.Gateway.Tests;

namespace Xmpp.EndToEnd.Tests;

/// <summary>What the server's log tells an operator about logins: who, from where, how; never a secret.</summary>
public sealed class OperatorLogTests
{
    [Fact]
    public async Task Logins_and_failed_logins_are_logged_with_account_address_and_mechanism_but_no_password()
    {
        var data = Path.Combine(Path.GetTempPath(), "xmpp-e2e-tests", Guid.NewGuid().ToString("N"));
        var storage = new[] { $"--DataDirectory={data}" };
        var logins = "--Logging:LogLevel:Xmpp.Gateway=Information"; // the harness quiets the log to warnings
        var (added, cliOutput) = await ServerProcess.RunToEndAsync(["user", "add", "alice", "right-horse", .. storage]);
        Assert.True(added == 0, cliOutput);

        await using var server = await ServerProcess.StartAsync([.. storage, logins]);
        await using (var wrong = await XmppTestClient.ConnectAsync(server.C2sEndpoint))
        {
            await wrong.OpenStreamAsync();
            Assert.Equal("not-authorized", await wrong.AuthenticateAsync("SCRAM-SHA-1", "alice", "battery-staple"));
        }

        await using (await XmppTestClient.LoginAsync(server.C2sEndpoint, "alice", "right-horse", mechanism: "SCRAM-SHA-256"))
        {
            await WaitForAsync(server, "logged in as alice with SCRAM-SHA-256");
        }

        var output = server.Output;
        Assert.Matches(@"127\.0\.0\.1:\d+ failed to log in as alice with SCRAM-SHA-1: not-authorized", output);
        Assert.Matches(@"127\.0\.0\.1:\d+ logged in as alice with SCRAM-SHA-256", output);
        Assert.DoesNotContain("battery-staple", output, StringComparison.Ordinal);
        Assert.DoesNotContain("right-horse", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_can_be_json_lines_for_containers()
    {
        var data = Path.Combine(Path.GetTempPath(), "xmpp-e2e-tests", Guid.NewGuid().ToString("N"));
        var (added, cliOutput) = await ServerProcess.RunToEndAsync("user", "add", "alice", "right-horse", $"--DataDirectory={data}");
        Assert.True(added == 0, cliOutput);
        await using var server = await ServerProcess.StartAsync(
            $"--DataDirectory={data}", "--Logging:LogLevel:Xmpp.Gateway=Information", "--Logging:Console:FormatterName=json");
        await using (await XmppTestClient.LoginAsync(server.C2sEndpoint, "alice", "right-horse"))
        {
            await WaitForAsync(server, "logged in as alice");
        }

        var line = server.Output.Split('\n').First(l => l.Contains("logged in as alice", StringComparison.Ordinal));
        using var entry = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal("Information", entry.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("alice", entry.RootElement.GetProperty("State").GetProperty("Account").GetString());
    }

    [Fact]
    public async Task Cluster_membership_and_shutdown_are_logged()
    {
        await using var server = await ServerProcess.StartAsync("--Storage:Provider=InMemory", "--Logging:LogLevel:Xmpp=Information");
        await WaitForAsync(server, "is Active");
        Assert.Matches(@"Cluster member S127\.0\.0\.1:\d+:\d+ \(\S+\) is Active", server.Output);
        await server.StopAsync();
        Assert.Contains("Shutdown begun: 0 sessions are told system-shutdown", server.Output, StringComparison.Ordinal);
        Assert.Contains("Shutdown finished", server.Output, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(ServerProcess server, string text)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!server.Output.Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
