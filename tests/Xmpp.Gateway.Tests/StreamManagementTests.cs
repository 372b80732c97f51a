using Microsoft.Extensions.DependencyInjection;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// XEP-0198 over real sockets: the feature, enabling, acknowledgements both ways, and what a
/// connection that drops leaves behind: a session that waits to be resumed, counts as online, and
/// gives the client back exactly what it did not acknowledge; or, when nobody resumes it, offline
/// messages and unavailable presence.
/// </summary>
public sealed class StreamManagementTests
{
    private const string Sm = StreamManagementClient.Namespace;

    [Fact]
    public async Task Stream_management_is_offered_after_authentication_and_enabled_after_bind()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("juliet", "pencil");
        await using var client = await server.ConnectAsync();
        Assert.Null((await client.OpenStreamAsync()).Child("sm", Sm)); // §2: not before authentication
        await client.SendAsync($"<enable xmlns='{Sm}'/>");
        Assert.Equal("service-unavailable", FailedCondition(await client.ReadElementAsync()));

        Assert.Null(await client.AuthenticateAsync("SCRAM-SHA-256", "juliet", "pencil"));
        Assert.NotNull(client.Features!.Child("sm", Sm)?.Child("optional", Sm));
        Assert.NotNull(client.Features!.Child("sm", Namespaces.StreamManagementLegacy));

        // §3: not before bind.
        await client.SendAsync($"<enable xmlns='{Sm}'/>");
        Assert.Equal("unexpected-request", FailedCondition(await client.ReadElementAsync()));

        await client.BindAsync("phone");
        var sm = await StreamManagementClient.EnableAsync(client);
        Assert.Null(sm.ResumptionId); // no resumption asked for, none given

        await client.SendAsync($"<enable xmlns='{Sm}'/>");
        Assert.Equal("unexpected-request", FailedCondition(await sm.NextAsync()));

        await client.SendAsync("<iq type='get' id='disco' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.Contains(Sm, DiscoFeatures(await sm.NextAsync(e => e.Id == "disco")));
    }

    [Fact]
    public async Task Turned_off_it_is_neither_offered_nor_enabled()
    {
        await using var server = await TestServer.StartAsync("--Xmpp:StreamManagement:Enabled=false");
        await server.AddUserAsync("juliet", "pencil");
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Null(await client.AuthenticateAsync("SCRAM-SHA-256", "juliet", "pencil"));
        Assert.Null(client.Features!.Child("sm", Sm));
        await client.SendAsync($"<resume xmlns='{Sm}' previd='x' h='0'/>");
        Assert.Equal("feature-not-implemented", FailedCondition(await client.ReadElementAsync()));

        await client.BindAsync("phone");
        await client.SendAsync($"<enable xmlns='{Sm}'/>");
        Assert.Equal("feature-not-implemented", FailedCondition(await client.ReadElementAsync()));
        await client.SendAsync("<iq type='get' id='disco' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.DoesNotContain(Sm, DiscoFeatures(await client.ReadUntilAsync(e => e.Id == "disco")));
    }

    [Fact]
    public async Task A_resumable_session_gets_an_id_and_the_resumption_time_in_the_namespace_it_asked_in()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("juliet", "pencil");
        await using var client = await server.LoginAsync("juliet", "pencil", "phone");
        await client.SendAsync($"<enable xmlns='{Namespaces.StreamManagementLegacy}' resume='1'/>");

        var enabled = await client.ReadElementAsync();
        Assert.True(enabled.Is("enabled", Namespaces.StreamManagementLegacy), enabled.ToString());
        Assert.False(string.IsNullOrEmpty(enabled.GetAttribute("id")));
        Assert.Equal(("true", "600"), (enabled.GetAttribute("resume"), enabled.GetAttribute("max")));
    }

    [Fact]
    public async Task Both_sides_count_stanzas_the_server_asks_after_what_it_wrote_and_an_ack_beyond_that_ends_the_stream()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("juliet", "pencil");
        await using var client = await server.LoginAsync("juliet", "pencil", "phone");
        var sm = await StreamManagementClient.EnableAsync(client);
        sm.AnswersRequests = false;

        // A request follows the first stanza written (mod_smacks' default), in the same write.
        await client.SendAsync("<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.Equal("p1", (await sm.NextAsync()).Id);
        Assert.True((await sm.NextAsync()).Is("r", Sm));
        await sm.AckAsync(); // h = 1

        // One request at a time: the second result is asked about, the third waits with it.
        await client.SendAsync("<iq type='get' id='p2' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.Equal("p2", (await sm.NextAsync()).Id);
        Assert.True((await sm.NextAsync()).Is("r", Sm));
        await client.SendAsync("<iq type='get' id='p3' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.Equal("p3", (await sm.NextAsync()).Id);

        // The server handled the three pings.
        await client.SendAsync($"<r xmlns='{Sm}'/>");
        Assert.Equal("3", (await sm.NextAsync()).GetAttribute("h"));

        // Three were sent; acknowledging five is a protocol error (XEP-0198 §4).
        await sm.AckAsync(5);
        var error = await client.ReadUntilAsync(e => e.Is("error", Namespaces.Stream));
        Assert.NotNull(error.Child("undefined-condition", Namespaces.Streams));
        var tooHigh = error.Child("handled-count-too-high", Sm);
        Assert.Equal(("5", "3"), (tooHigh?.GetAttribute("h"), tooHigh?.GetAttribute("send-count")));
    }

    [Fact]
    public async Task With_a_higher_threshold_the_server_asks_once_a_stanza_has_waited_long_enough()
    {
        await using var server = await TestServer.StartAsync("--Xmpp:StreamManagement:RequestAfterStanzas=5", "--Xmpp:StreamManagement:RequestAfter=00:00:01");
        await server.AddUserAsync("juliet", "pencil");
        await using var client = await server.LoginAsync("juliet", "pencil", "phone");
        var sm = await StreamManagementClient.EnableAsync(client);
        sm.AnswersRequests = false;

        await client.SendAsync("<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.Equal("p1", (await sm.NextAsync()).Id);
        var asked = System.Diagnostics.Stopwatch.StartNew();
        Assert.True((await sm.NextAsync()).Is("r", Sm));
        Assert.True(asked.Elapsed > TimeSpan.FromSeconds(0.5), $"asked after {asked.Elapsed}, with one stanza of five waiting");
    }

    [Fact]
    public async Task A_resumption_after_a_drop_gets_again_in_order_exactly_what_the_client_did_not_handle()
    {
        await using var verona = await Verona.StartAsync();
        var juliet = await verona.JulietResumableAsync();
        juliet.AnswersRequests = false;

        // Two stanzas from her: the server's h.
        await juliet.Client.SendAsync("<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq><iq type='get' id='p2' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        await juliet.NextAsync(e => e.Id == "p2");
        await verona.SendToJulietAsync(1, 5);
        await juliet.NextAsync(e => e.Id == "m5");

        // She acknowledges the pings and m1, m2; she handled m3 too before her connection dropped.
        await juliet.AckAsync(4);
        juliet.Client.Abort();
        await verona.HibernatingAsync(1);
        await verona.SendToJulietAsync(6, 7); // kept for her meanwhile

        var (answer, resumed, connection) = await verona.JulietResumesAsync(juliet.ResumptionId!, handled: 5);
        await using var _ = connection;
        Assert.True(answer.Is("resumed", Sm), answer.ToString());
        Assert.Equal((juliet.ResumptionId, "2"), (answer.GetAttribute("previd"), answer.GetAttribute("h")));
        resumed!.AnswersRequests = false;

        var again = new List<Element>();
        while (again.Count < 4)
        {
            var next = await resumed.NextAsync();
            if (next.Name == Stanza.Message)
            {
                again.Add(next);
            }
        }

        Assert.Equal(["m4", "m5", "m6", "m7"], again.Select(m => m.Id));
        Assert.All(again, m => Assert.Equal("juliet@localhost", m.Child("delay", Namespaces.Delay)?.GetAttribute("from")));
        Assert.Equal(9u, resumed.Handled); // 5 before, 4 again

        // The session goes on: new stanzas arrive once, and the counts still agree.
        await verona.SendToJulietAsync(8, 8);
        var next8 = await resumed.NextAsync(e => e.Name == Stanza.Message);
        Assert.Equal("m8", next8.Id);
        Assert.Null(next8.Child("delay", Namespaces.Delay));
        Assert.Equal(1, resumed.AckRequests); // asked once after the resumption, as mod_smacks; m8 waits with that request
        await resumed.AckAsync();
        await connection.SendAsync($"<r xmlns='{Sm}'/>");
        Assert.Equal("2", (await resumed.NextAsync(e => e.Is("a", Sm))).GetAttribute("h"));
        await verona.HibernatingAsync(0);
    }

    [Fact]
    public async Task Messages_in_flight_when_the_connection_dropped_arrive_exactly_once_and_in_order()
    {
        const int count = 400;
        await using var verona = await Verona.StartAsync();
        var juliet = await verona.JulietResumableAsync(receiveBufferSize: 4096);

        // Romeo writes all the while: before the drop, while the session waits, during the resumption.
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await verona.Romeo.SendAsync($"<message to='juliet@localhost/phone' type='chat' id='m{i}'><body>{new string('x', 200)} {i}</body></message>");
                if (i % 20 == 0)
                {
                    await Task.Delay(5);
                }
            }
        });

        var handled = new List<string>();
        while (handled.Count < 100)
        {
            if (await juliet.NextAsync() is { Name: Stanza.Message, Id: { } id })
            {
                handled.Add(id);
            }
        }

        // She stops reading: what the server writes now stays in her socket's buffers, and the drop discards it.
        await Task.Delay(100);
        juliet.Client.Abort();

        var (answer, resumed, connection) = await verona.JulietResumesAsync(juliet.ResumptionId!, juliet.Handled);
        await using var _ = connection;
        Assert.True(answer.Is("resumed", Sm), answer.ToString());
        var sentAgain = 0;
        while (handled.Count < count)
        {
            if (await resumed!.NextAsync() is { Name: Stanza.Message, Id: { } id } message)
            {
                handled.Add(id);
                sentAgain += message.Child("delay", Namespaces.Delay) is null ? 0 : 1;
            }
        }

        await sending;
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"m{i}"), handled);
        Assert.True(sentAgain > 0, "nothing was in flight when the connection dropped");
        // Nothing comes twice: the next stanza is the answer to this.
        await connection.SendAsync("<iq type='get' id='last' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.Equal("last", (await resumed!.NextAsync(e => Stanza.IsStanza(e))).Id);
    }

    [Fact]
    public async Task A_resumption_fails_for_an_unknown_id_another_account_or_an_unbound_or_bound_stream_and_when_the_time_is_up()
    {
        await using var verona = await Verona.StartAsync("--Xmpp:StreamManagement:ResumeTimeout=00:00:01");
        var server = verona.Server;
        var juliet = await verona.JulietResumableAsync();
        var id = juliet.ResumptionId!;

        Assert.Equal("unexpected-request", await ResumeFailureAsync(server, "romeo", id)); // §9: not his session
        Assert.Equal("bad-request", await ResumeFailureAsync(server, "juliet", id, h: "-1"));
        Assert.Equal("item-not-found", await ResumeFailureAsync(server, "juliet", "no-such-session"));
        var forged = "AAAAAAAAAAAAAAAAAAAAAA" + id[id.IndexOf('.', StringComparison.Ordinal)..]; // her JID, not her id
        Assert.Equal("item-not-found", await ResumeFailureAsync(server, "juliet", forged));

        await using (var unauthenticated = await server.ConnectAsync())
        {
            await unauthenticated.OpenStreamAsync();
            await unauthenticated.SendAsync($"<resume xmlns='{Sm}' previd='{id}' h='0'/>");
            Assert.Equal("unexpected-request", FailedCondition(await unauthenticated.ReadElementAsync()));
        }

        await using (var bound = await server.LoginAsync("juliet", "pencil", "laptop"))
        {
            await bound.SendAsync($"<resume xmlns='{Sm}' previd='{id}' h='0'/>");
            Assert.Equal("unexpected-request", FailedCondition(await bound.ReadUntilAsync(e => e.Namespace == Sm)));
        }

        // None of that touched her session: still connected, still counting, still what her full JID finds on this server.
        var directory = server.Services.GetRequiredService<Xmpp.Grains.Routing.SessionDirectory>();
        Assert.True(directory.TryGet(juliet.Client.Jid!.ToString(), out _), "a failed resumption hid her session");
        await juliet.Client.SendAsync($"<r xmlns='{Sm}'/>");
        Assert.Equal("0", (await juliet.NextAsync(e => e.Is("a", Sm))).GetAttribute("h"));

        juliet.Client.Abort();
        await verona.HibernatingAsync(1);
        await verona.HibernatingAsync(0);
        Assert.Equal("item-not-found", await ResumeFailureAsync(server, "juliet", id));
    }

    [Fact]
    public async Task A_resumption_that_acknowledges_more_than_was_sent_fails_and_ends_the_session()
    {
        await using var verona = await Verona.StartAsync();
        var juliet = await verona.JulietResumableAsync();
        await verona.SendToJulietAsync(1, 1);
        await juliet.NextAsync(e => e.Id == "m1");
        juliet.Client.Abort();

        var (failed, _, connection) = await verona.JulietResumesAsync(juliet.ResumptionId!, handled: 5);
        await using var _ = connection;
        Assert.Equal("undefined-condition", FailedCondition(failed));
        Assert.Equal("0", failed.GetAttribute("h"));
        var error = await connection.ReadUntilAsync(e => e.Is("error", Namespaces.Stream));
        Assert.Equal(("5", "1"), (error.Child("handled-count-too-high", Sm)?.GetAttribute("h"), error.Child("handled-count-too-high", Sm)?.GetAttribute("send-count")));

        // As mod_smacks: the session is gone, and what she did not acknowledge waits offline.
        Assert.Equal("item-not-found", await ResumeFailureAsync(verona.Server, "juliet", juliet.ResumptionId!));
        Assert.Equal(["m1"], await verona.OfflineForJulietAsync(1));
    }

    [Fact]
    public async Task A_session_not_resumed_in_time_ends_its_messages_wait_offline_and_its_contacts_learn_it_only_then()
    {
        await using var verona = await Verona.StartAsync("--Xmpp:StreamManagement:ResumeTimeout=00:00:02");
        var juliet = await verona.JulietResumableAsync(contacts: true);
        juliet.AnswersRequests = false;

        await verona.SendToJulietAsync(1, 1);
        await juliet.NextAsync(e => e.Id == "m1"); // received, never acknowledged
        juliet.Client.Abort();
        await verona.HibernatingAsync(1);
        var hibernatingSince = DateTime.UtcNow;
        await verona.Romeo.SendAsync("<message to='juliet@localhost' type='chat' id='m2'><body>to her account</body></message>");
        await verona.SendToJulietAsync(3, 3);

        // Online for her contacts until the resumption time is up; then unavailable.
        await verona.PhoneUnavailableAsync(TimeSpan.FromSeconds(10));
        Assert.True(DateTime.UtcNow - hibernatingSince > TimeSpan.FromSeconds(1.5), "unavailable came before the resumption time was up");

        // What she did not acknowledge, and what came meanwhile, waits for her, stamped with when it was sent.
        Assert.Equal(["m1", "m2", "m3"], await verona.OfflineForJulietAsync(3));
    }

    [Fact]
    public async Task A_stream_the_client_closes_is_not_resumable_and_what_it_did_not_acknowledge_goes_offline()
    {
        await using var verona = await Verona.StartAsync();
        var juliet = await verona.JulietResumableAsync(contacts: true);
        juliet.AnswersRequests = false;
        await verona.SendToJulietAsync(1, 1);
        await juliet.NextAsync(e => e.Id == "m1");

        await juliet.Client.CloseAsync();
        await verona.PhoneUnavailableAsync();
        await juliet.Client.DisposeAsync();
        Assert.Equal("item-not-found", await ResumeFailureAsync(verona.Server, "juliet", juliet.ResumptionId!));
        Assert.Equal(["m1"], await verona.OfflineForJulietAsync(1));
    }

    [Fact]
    public async Task A_resumption_takes_over_a_session_whose_old_connection_the_server_still_thinks_open()
    {
        await using var verona = await Verona.StartAsync();
        var juliet = await verona.JulietResumableAsync();
        await using var old = juliet.Client;
        juliet.AnswersRequests = false;
        await verona.SendToJulietAsync(1, 2);
        await juliet.NextAsync(e => e.Id == "m2");

        // A half-open connection: she is gone, and the server has not noticed.
        var (answer, resumed, connection) = await verona.JulietResumesAsync(juliet.ResumptionId!, handled: 1);
        await using var _ = connection;
        Assert.True(answer.Is("resumed", Sm), answer.ToString());
        Assert.Equal("m2", (await resumed!.NextAsync(e => e.Name == Stanza.Message)).Id);
        Assert.True(await old.WaitForDisconnectAsync(), "the old connection stays open");

        await verona.SendToJulietAsync(3, 3);
        Assert.Equal("m3", (await resumed.NextAsync(e => e.Name == Stanza.Message)).Id);
    }

    private static async Task<string?> ResumeFailureAsync(TestServer server, string user, string previd, string h = "0")
    {
        await using var connection = await XmppTestClient.ConnectAsync(server.Endpoint);
        await connection.OpenStreamAsync();
        Assert.Null(await connection.AuthenticateAsync("SCRAM-SHA-256", user, "pencil"));
        await connection.SendAsync(new Element("resume", Sm).SetAttribute("previd", previd).SetAttribute("h", h));
        return FailedCondition(await connection.ReadElementAsync());
    }

    /// <summary>The features a disco#info result lists (XEP-0030 §3.1).</summary>
    private static IEnumerable<string?> DiscoFeatures(Element result) =>
        result.FirstElement()!.Elements("feature", Namespaces.DiscoInfo).Select(f => f.GetAttribute("var"));

    private static string? FailedCondition(Element element)
    {
        Assert.True(element.Is("failed", Sm), $"Expected <failed/>, got {element}");
        return element.Elements().FirstOrDefault(e => e.Namespace == Namespaces.Stanzas)?.Name;
    }
}
