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
    public async Task Deleting_a_user_deletes_its_message_archive_and_no_other()
    {
        string[] storage = ["--Storage:Provider=Sqlite", $"--DataDirectory={_dataDirectory}"];
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

        var (exitCode, deleteOutput) = await ServerProcess.RunToEndAsync(["user", "delete", "Alice", .. storage]);
        Assert.True(exitCode == 0, deleteOutput);
        Assert.Contains("User alice deleted, with its message archive.", deleteOutput, StringComparison.Ordinal);

        await using (var database = new SqliteDatabase(file))
        {
            var archives = new SqliteArchiveStore(database);
            Assert.Null(await archives.GetBoundsAsync("alice@localhost"));
            Assert.NotNull(await archives.GetBoundsAsync("bob@localhost"));
        }
    }
}
