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
        await using var server = await StartWithUsersAsync("alice", "bob");
        using var report = await RunClientAsync(server, "slixmpp_chat.py", "alice", "bob");
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

    [Fact]
    public async Task Slixmpp_reads_account_and_room_archives_forwards_and_backwards()
    {
        await using var server = await StartWithUsersAsync("carol", "dave");
        using var report = await RunClientAsync(server, "slixmpp_mam.py", "carol", "dave", "archived@conference.localhost");
        var root = report.RootElement;
        string[] Strings(string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(["urn:xmpp:mam:2", "urn:xmpp:mam:2#extended", "urn:xmpp:sid:0"], Strings("account_features").Order());
        Assert.Equal(["dave@localhost"], Strings("stanza_id_by"));
        var sent = Enumerable.Range(0, 25).Select(i => $"chat {i}").ToArray();
        Assert.Equal(sent, Strings("alice_forwards"));
        Assert.Equal(sent.Reverse(), Strings("alice_backwards"));
        Assert.Equal(25, root.GetProperty("bob_total").GetInt32());
        Assert.Equal(["room 0", "room 1", "room 2"], Strings("room_archive"));
    }

    [Fact]
    public async Task Slixmpp_resumes_its_stream_after_losing_the_connection_and_gets_what_was_sent_meanwhile_once()
    {
        await using var server = await StartWithUsersAsync("alice", "bob");
        using var report = await RunClientAsync(server, "slixmpp_resume.py", "alice", "bob");
        var root = report.RootElement;
        Assert.Equal(["m1", "m2", "m3", "m4", "m5", "m6"], root.GetProperty("bodies").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(root.GetProperty("alice_saw_unavailable").EnumerateArray()); // for her he never left
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

    /// <summary>The server on SQLite with these users (password: name + "-secret") added by the admin CLI, TLS required on loopback too.</summary>
    private async Task<ServerProcess> StartWithUsersAsync(params string[] users)
    {
        string[] storage = ["--Storage:Provider=Sqlite", $"--DataDirectory={_dataDirectory}"];
        foreach (var user in users)
        {
            var (exitCode, cliOutput) = await ServerProcess.RunToEndAsync(["user", "add", user, user + "-secret", .. storage]);
            Assert.True(exitCode == 0, $"user add {user} failed: {cliOutput}");
        }

        return await ServerProcess.StartAsync([.. storage, "--Gateway:LoopbackIsSecure=false"]);
    }

    /// <summary>Runs a client script as HOST PORT JID_A PASSWORD_A JID_B PASSWORD_B CA_FILE [EXTRA…]; its report is the JSON of its last line.</summary>
    private async Task<JsonDocument> RunClientAsync(ServerProcess server, string script, string userA, string userB, params string[] extra)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: run ./test.sh, which installs python3-slixmpp");
        var start = new ProcessStartInfo(Python);
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, script),
            server.C2sEndpoint.Address.ToString(),
            server.C2sEndpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{userA}@localhost", userA + "-secret", $"{userB}@localhost", userB + "-secret", ExportServerCertificate(), .. extra,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var (exitCode, stdout, stderr) = await ProcessRun.ToEndAsync(start, TimeSpan.FromSeconds(90));
        var output = stdout + stderr;
        Assert.True(exitCode == 0, $"slixmpp failed (exit {exitCode}): {output}\nserver: {server.Output}");
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]);
    }
}
