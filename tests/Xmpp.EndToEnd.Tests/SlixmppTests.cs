using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// A real third-party client, slixmpp (Debian's python3-slixmpp, installed by test.sh), against the
/// server executable run as users run it (<see cref="ServerProcess"/>): SQLite on disk, accounts
/// created with the admin CLI, TLS required even on loopback, the generated certificate trusted by
/// the client as its CA (hostname checked), inline socket completions on.
/// </summary>
public sealed class SlixmppTests : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "xmpp-e2e", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Slixmpp_logs_in_with_scram_sha_256_over_starttls_subscribes_and_chats()
    {
        string[] storage = ["--Storage:Provider=Sqlite", $"--DataDirectory={_dataDirectory}"];
        foreach (var (user, password) in new[] { ("alice", "alice-secret"), ("bob", "bob-secret") })
        {
            var (exitCode, cliOutput) = await ServerProcess.RunToEndAsync(["user", "add", user, password, .. storage]);
            Assert.True(exitCode == 0, $"user add {user} failed: {cliOutput}");
        }

        await using var server = await ServerProcess.StartAsync([.. storage, "--Gateway:LoopbackIsSecure=false"]);
        var caFile = ExportServerCertificate();

        var (clientExit, output) = await RunClientAsync(
            Path.Combine(AppContext.BaseDirectory, "slixmpp_chat.py"),
            server.C2sEndpoint.Address.ToString(),
            server.C2sEndpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "alice@localhost", "alice-secret", "bob@localhost", "bob-secret", caFile);

        Assert.True(clientExit == 0, $"slixmpp failed (exit {clientExit}): {output}\nserver: {server.Output}");
        using var report = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = report.RootElement;
        foreach (var user in new[] { "alice@localhost", "bob@localhost" })
        {
            var login = root.GetProperty(user);
            Assert.Equal("SCRAM-SHA-256", login.GetProperty("mechanism").GetString());
            Assert.True(login.GetProperty("tls").GetBoolean(), $"{user} is not on TLS");
            Assert.Equal("result", login.GetProperty("roster_type").GetString());
        }

        Assert.Equal("both", root.GetProperty("subscription").GetString());
        Assert.Equal(["alice@localhost", "Hello Bob"], root.GetProperty("received_by_bob").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["bob@localhost", "Re: Hello Bob"], root.GetProperty("received_by_alice").EnumerateArray().Select(e => e.GetString()));

        // The executable turned inline socket completions on: the runtime then runs one socket
        // engine thread per core (one per 30 cores otherwise).
        Assert.Equal(Environment.ProcessorCount, server.ThreadNames().Count(name => name == ".NET Sockets"));
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The certificate the server generated on first start, as PEM for the client to trust.</summary>
    private string ExportServerCertificate()
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(_dataDirectory, "localhost.pfx"), null);
        var path = Path.Combine(_dataDirectory, "ca.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static Task<(int ExitCode, string Output)> RunClientAsync(params string[] arguments)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: run ./test.sh, which installs python3-slixmpp");
        var start = new ProcessStartInfo(Python);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ProcessRun.ToEndAsync(start, TimeSpan.FromSeconds(90));
    }
}
