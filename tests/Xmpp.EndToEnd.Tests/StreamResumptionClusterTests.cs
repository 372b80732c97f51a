using Xmpp.Gateway.Tests;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// XEP-0198 resumption across a cluster of two real server processes (on Azurite), as behind a load
/// balancer: the connection drops, the client reconnects to the other process and resumes there.
/// The session's state moves between the processes through the account's grain, which here lives
/// on the process the client resumes on the first time (a hand-over through the other process's
/// hub) and on the one it leaves the second time (a hand-over within the process).
/// </summary>
public sealed class StreamResumptionClusterTests : IAsyncLifetime
{
    private const string Sm = StreamManagementClient.Namespace;

    private readonly Azurite _azurite = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    [Fact]
    public async Task A_session_dropped_on_one_process_is_resumed_on_the_other_with_exactly_what_its_client_did_not_handle()
    {
        await using var cluster = await ClusterProcesses.StartAsync(_azurite.ConnectionString, count: 2);
        await cluster.AddUserAsync("romeo", "romeo-secret");
        await cluster.AddUserAsync("juliet", "juliet-secret");

        // A message from Romeo's process activates Juliet's grain there, before she logs in on the other.
        await using var romeo = await XmppTestClient.LoginAsync(cluster[1].C2sEndpoint, "romeo", "romeo-secret", "orchard");
        await romeo.SendAsync("<message to='juliet@localhost' type='chat' id='m0'><body>before you came</body></message>");
        var first = await XmppTestClient.LoginAsync(cluster[0].C2sEndpoint, "juliet", "juliet-secret", "phone");
        await romeo.BecomeMutualContactsAsync(first);
        var juliet = await StreamManagementClient.EnableAsync(first, resume: true);
        juliet.AnswersRequests = false;

        await SendAsync(romeo, 1, 3);
        await juliet.NextAsync(e => e.Id == "m3");
        var handled = juliet.Handled - 2; // she got to handle m1 only before the connection dropped
        juliet.Client.Abort();
        await SendAsync(romeo, 4, 5);

        var (answer, resumed, second) = await StreamManagementClient.ResumeAsync(cluster[1].C2sEndpoint, "juliet", "juliet-secret", juliet.ResumptionId!, handled);
        await using var _ = second;
        Assert.True(answer.Is("resumed", Sm), $"{answer}\n{cluster.Output}");
        resumed!.AnswersRequests = false;
        Assert.Equal(["m2", "m3", "m4", "m5"], await MessagesAsync(resumed, 4));
        await SendAsync(romeo, 6, 6);
        Assert.Equal(["m6"], await MessagesAsync(resumed, 1));

        // Back to the first process: the grain hands over a session of its own process.
        handled = resumed.Handled;
        second.Abort();
        await SendAsync(romeo, 7, 7);
        var (again, back, third) = await StreamManagementClient.ResumeAsync(cluster[0].C2sEndpoint, "juliet", "juliet-secret", juliet.ResumptionId!, handled);
        await using var __ = third;
        Assert.True(again.Is("resumed", Sm), $"{again}\n{cluster.Output}");
        Assert.Equal(["m7"], await MessagesAsync(back!, 1));

        // Nothing came twice, and for Romeo she never left.
        await third.SendAsync("<iq type='get' id='done' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.Equal("done", (await back!.NextAsync(Stanza.IsStanza)).Id);
        await romeo.SendAsync("<iq type='get' id='done' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        var sawHerLeave = false;
        Element reply;
        while ((reply = await romeo.ReadElementAsync()).Id != "done")
        {
            sawHerLeave |= reply.Name == Stanza.Presence && reply.Type == "unavailable";
        }

        Assert.False(sawHerLeave, "Romeo was told she went away");
    }

    private static async Task SendAsync(XmppTestClient from, int first, int last)
    {
        for (var i = first; i <= last; i++)
        {
            await from.SendAsync($"<message to='juliet@localhost/phone' type='chat' id='m{i}'><body>message {i}</body></message>");
        }
    }

    private static async Task<List<string?>> MessagesAsync(StreamManagementClient client, int count)
    {
        var ids = new List<string?>();
        while (ids.Count < count)
        {
            ids.Add((await client.NextAsync(e => e.Name == Stanza.Message)).Id);
        }

        return ids;
    }
}
