using Xmpp.Storage.Archive;
using Xmpp.Storage.Sqlite;

namespace Xmpp.EndToEnd.Tests;

/// <summary>The admin CLI as users run it (the executable, on a SQLite file).</summary>
public sealed class AdminCliTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "xmpp-cli", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Fact]
    public async Task Deleting_a_user_removes_it_through_the_running_server_with_its_archive_and_no_other()
    {
        var gatewayPort = FreePort();
        string[] storage = ["--Storage:Provider=Sqlite", $"--DataDirectory={_dataDirectory}", $"--Orleans:GatewayPort={gatewayPort}"];
        foreach (var user in new[] { "alice", "bob" })
        {
            var (added, output) = await ServerProcess.RunToEndAsync(["user", "add", user, "secret", .. storage]);
            Assert.True(added == 0, output);
        }

        var file = Path.Combine(_dataDirectory, "xmpp.db");
        var message = new ArchivedStanza(ArchiveId.FromTime(DateTimeOffset.UtcNow), "bob@localhost/desk", "<message xmlns='jabber:client'><body>hi</body></message>");
        await using (var database = new SqliteDatabase(file))
        {
            var archives = new SqliteArchiveStore(database);
            await archives.AppendAsync("alice@localhost", [message]);
            await archives.AppendAsync("bob@localhost", [message with { With = "alice@localhost/desk" }]);
        }

        // Without the server, the removal cannot be done, and says why.
        var (offline, offlineOutput) = await ServerProcess.RunToEndAsync(["user", "delete", "Alice", .. storage]);
        Assert.Equal(1, offline);
        Assert.Contains($"Cannot reach the server on 127.0.0.1:{gatewayPort} (Orleans:GatewayPort)", offlineOutput, StringComparison.Ordinal);

        await using (await ServerProcess.StartAsync(storage))
        {
            var (exitCode, deleteOutput) = await ServerProcess.RunToEndAsync(["user", "delete", "Alice", .. storage]);
            Assert.True(exitCode == 0, deleteOutput);
            Assert.Contains("User alice deleted, with everything it kept.", deleteOutput, StringComparison.Ordinal);
            var (again, againOutput) = await ServerProcess.RunToEndAsync(["user", "delete", "alice", .. storage]);
            Assert.Equal((1, "There is no user alice."), (again, againOutput.Trim()));
        }

        await using (var database = new SqliteDatabase(file))
        {
            var archives = new SqliteArchiveStore(database);
            Assert.Null(await archives.GetBoundsAsync("alice@localhost"));
            Assert.NotNull(await archives.GetBoundsAsync("bob@localhost"));
        }

        var (listed, list) = await ServerProcess.RunToEndAsync(["user", "list", .. storage]);
        Assert.Equal((0, "bob"), (listed, list.Trim()));
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
