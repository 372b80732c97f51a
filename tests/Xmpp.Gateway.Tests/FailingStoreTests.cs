using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Storage.Sqlite;
using Xmpp.Storage.Tests;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// A running server's SQLite file stops taking writes, then takes them again (<see cref="SqliteFaults"/>
/// on a real file): the client hears of every change that was not stored, sees none of them
/// afterwards, and the server stores again without a restart; it stops cleanly meanwhile.
/// </summary>
public sealed class FailingStoreTests
{
    [Fact]
    public async Task Changes_that_were_not_stored_are_refused_and_storing_resumes_when_the_fault_clears()
    {
        var dataDirectory = NewDataDirectory();
        var faults = new SqliteFaults();
        var server = await StartAsync(dataDirectory, faults);
        await server.AddUserAsync("alice", "pencil");
        await using (var alice = await server.LoginAsync("alice", "pencil", "r"))
        {
            Assert.Equal("result", (await alice.SetRosterItemAsync("juliet@localhost", "s1")).Type);
            faults.MakeUnwritable();

            var refused = await alice.SetRosterItemAsync("tybalt@localhost", "s2");
            Assert.Equal("error", refused.Type);
            var error = StanzaError.FromStanza(refused)!;
            Assert.Equal((StanzaError.TypeWait, "internal-server-error"), (error.Type, error.Condition));
            Assert.Equal(["juliet@localhost"], await alice.RosterAsync("g1"));

            faults.MakeWritable();
            Assert.Equal("result", (await alice.SetRosterItemAsync("romeo@localhost", "s3")).Type);
            await alice.CloseAsync();
        }

        await server.Server.DisposeAsync(); // the files stay for the restart
        await using var restarted = await TestServer.StartInAsync(dataDirectory, "--Storage:Provider=Sqlite");
        await using var again = await restarted.LoginAsync("alice", "pencil", "r");
        Assert.Equal(["juliet@localhost", "romeo@localhost"], await again.RosterAsync("g2"));
    }

    [Fact]
    public async Task The_server_stops_cleanly_while_its_file_refuses_writes_and_commits()
    {
        var faults = new SqliteFaults();
        var server = await StartAsync(NewDataDirectory(), faults);
        await server.AddUserAsync("alice", "pencil");
        await using var alice = await server.LoginAsync("alice", "pencil", "r");
        faults.MakeUnwritable();
        faults.RefuseCommits = true;
        Assert.Equal("error", (await alice.SetRosterItemAsync("juliet@localhost", "s1")).Type);

        var stopping = server.DisposeAsync().AsTask(); // the session's last activity write fails too
        Assert.Equal("system-shutdown", await alice.ReadStreamErrorConditionAsync());
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "xmpp-gateway-tests", Guid.NewGuid().ToString("N"));

    private static Task<TestServer> StartAsync(string dataDirectory, SqliteFaults faults) =>
        TestServer.StartInAsync(
            dataDirectory,
            services => services.AddSingleton(sp => new SqliteDatabase(
                Path.Combine(dataDirectory, "xmpp.db"), faults.OpenWriter, sp.GetService<ILogger<SqliteDatabase>>())),
            "--Storage:Provider=Sqlite");
}
