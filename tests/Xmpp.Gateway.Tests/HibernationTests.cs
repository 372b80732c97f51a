using Microsoft.Extensions.DependencyInjection;
using Xmpp.Gateway.Sessions;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// How a session that waits to be resumed (XEP-0198) ends other than by its timeout: a connection
/// that went silent puts it there, too much waiting for it ends it early, and a server that stops
/// ends it; what its client did not acknowledge waits offline in every case.
/// </summary>
public sealed class HibernationTests
{
    [Fact]
    public async Task A_silent_connection_of_a_resumable_session_is_dropped_without_a_stream_error_and_the_session_waits()
    {
        await using var server = await TestServer.StartAsync("--Gateway:Limits:IdleTimeout=00:00:01");
        await server.AddUserAsync("juliet", "pencil");
        var juliet = await StreamManagementClient.EnableAsync(await server.LoginAsync("juliet", "pencil", "phone"), resume: true);
        await using var _ = juliet.Client;

        Assert.True(await juliet.Client.WaitForDisconnectAsync(), "the silent connection stays open");
        var tracker = server.Services.GetRequiredService<SessionTracker>();
        await Eventually.WaitUntilAsync(() => tracker.HibernatingCount == 1);

        var (answer, _, connection) = await StreamManagementClient.ResumeAsync(server.Endpoint, "juliet", "pencil", juliet.ResumptionId!, juliet.Handled);
        await using var __ = connection;
        Assert.True(answer.Is("resumed", StreamManagementClient.Namespace), answer.ToString());
    }

    [Fact]
    public async Task Too_much_for_a_hibernating_session_ends_it_at_once_and_it_all_waits_offline()
    {
        await using var server = await TestServer.StartAsync("--Xmpp:StreamManagement:MaxUnackedStanzas=3");
        await server.AddUserAsync("juliet", "pencil");
        await server.AddUserAsync("romeo", "pencil");
        await using var romeo = await server.LoginAsync("romeo", "pencil", "orchard");
        var julietClient = await server.LoginAsync("juliet", "pencil", "phone");
        await romeo.BecomeMutualContactsAsync(julietClient);
        var juliet = await StreamManagementClient.EnableAsync(julietClient, resume: true);
        juliet.Client.Abort();
        var tracker = server.Services.GetRequiredService<SessionTracker>();
        await Eventually.WaitUntilAsync(() => tracker.HibernatingCount == 1);

        await SendAsync(romeo, 4);
        await romeo.ReadUntilAsync(e => e.Name == Stanza.Presence && e.From == "juliet@localhost/phone" && e.Type == "unavailable");
        Assert.Equal(["m1", "m2", "m3", "m4"], await OfflineAsync(server, 4));
    }

    [Fact]
    public async Task A_stopping_server_ends_its_hibernating_sessions_and_keeps_what_they_held()
    {
        var database = Path.Combine(Path.GetTempPath(), "xmpp-gateway-tests", Guid.NewGuid().ToString("N"), "xmpp.db");
        string[] sqlite = ["--Storage:Provider=Sqlite", $"--Storage:Path={database}"];
        await using (var server = await TestServer.StartAsync(sqlite))
        {
            await server.AddUserAsync("juliet", "pencil");
            await server.AddUserAsync("romeo", "pencil");
            await using var romeo = await server.LoginAsync("romeo", "pencil", "orchard");
            var juliet = await StreamManagementClient.EnableAsync(await server.LoginAsync("juliet", "pencil", "phone"), resume: true);
            await SendAsync(romeo, 1);
            await juliet.NextAsync(e => e.Id == "m1"); // received, not acknowledged
            juliet.Client.Abort();
            var tracker = server.Services.GetRequiredService<SessionTracker>();
            await Eventually.WaitUntilAsync(() => tracker.HibernatingCount == 1);
            await romeo.SendAsync("<message to='juliet@localhost/phone' type='chat' id='m2'><body>while she was away</body></message>");
            await romeo.SendAsync("<iq type='get' id='sync' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            await romeo.ReadUntilAsync(e => e.Id == "sync");
        }

        await using var restarted = await TestServer.StartAsync(sqlite);
        Assert.Equal(["m1", "m2"], await OfflineAsync(restarted, 2));
        Directory.Delete(Path.GetDirectoryName(database)!, recursive: true);
    }

    private static async Task SendAsync(XmppTestClient romeo, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await romeo.SendAsync($"<message to='juliet@localhost/phone' type='chat' id='m{i}'><body>message {i}</body></message>");
        }
    }

    /// <summary>Juliet logs in again and reads what waited for her.</summary>
    private static async Task<List<string?>> OfflineAsync(TestServer server, int count)
    {
        await using var back = await server.LoginAsync("juliet", "pencil", "laptop");
        await back.SendAsync("<presence/>");
        var ids = new List<string?>();
        while (ids.Count < count)
        {
            var next = await back.ReadElementAsync();
            if (next.Name == Stanza.Message)
            {
                Assert.NotNull(next.Child("delay", Namespaces.Delay));
                ids.Add(next.Id);
            }
        }

        return ids;
    }
}
