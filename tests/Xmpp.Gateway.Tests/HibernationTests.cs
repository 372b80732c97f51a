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
        await using var verona = await Verona.StartAsync("--Gateway:Limits:IdleTimeout=00:00:01");
        var juliet = await verona.JulietResumableAsync();
        await using var _ = juliet.Client;

        Assert.True(await juliet.Client.WaitForDisconnectAsync(), "the silent connection stays open");
        await verona.HibernatingAsync(1);
        var (answer, _, connection) = await verona.JulietResumesAsync(juliet.ResumptionId!, juliet.Handled);
        await using var __ = connection;
        Assert.True(answer.Is("resumed", StreamManagementClient.Namespace), answer.ToString());
    }

    [Fact]
    public async Task Too_much_for_a_hibernating_session_ends_it_at_once_and_it_all_waits_offline()
    {
        await using var verona = await Verona.StartAsync("--Xmpp:StreamManagement:MaxUnackedStanzas=3");
        var juliet = await verona.JulietResumableAsync(contacts: true);
        juliet.Client.Abort();
        await verona.HibernatingAsync(1);

        await verona.SendToJulietAsync(1, 4);
        await verona.PhoneUnavailableAsync(); // well before the resumption time (ten minutes)
        Assert.Equal(["m1", "m2", "m3", "m4"], await verona.OfflineForJulietAsync(4));
    }

    [Fact]
    public async Task A_stopping_server_ends_its_hibernating_sessions_and_keeps_what_they_held()
    {
        var database = Path.Combine(Path.GetTempPath(), "xmpp-gateway-tests", Guid.NewGuid().ToString("N"), "xmpp.db");
        string[] sqlite = ["--Storage:Provider=Sqlite", $"--Storage:Path={database}"];
        await using (var verona = await Verona.StartAsync(sqlite))
        {
            var juliet = await verona.JulietResumableAsync();
            await verona.SendToJulietAsync(1, 1);
            await juliet.NextAsync(e => e.Id == "m1"); // received, not acknowledged
            juliet.Client.Abort();
            await verona.HibernatingAsync(1);
            await verona.SendToJulietAsync(2, 2);
            await verona.Romeo.SendAsync("<iq type='get' id='sync' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            await verona.Romeo.ReadUntilAsync(e => e.Id == "sync");
        }

        await using (var restarted = await Verona.StartAsync(sqlite))
        {
            Assert.Equal(["m1", "m2"], await restarted.OfflineForJulietAsync(2));
        }

        Directory.Delete(Path.GetDirectoryName(database)!, recursive: true);
    }
}
