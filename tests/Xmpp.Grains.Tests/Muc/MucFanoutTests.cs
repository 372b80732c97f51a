using Xmpp.Protocol;

namespace Xmpp.Grains.Tests.Muc;

/// <summary>The hot path: a groupchat message is one push per occupant session and no storage access.</summary>
public sealed class MucFanoutTests : IAsyncDisposable
{
    private const string Room = "square@" + GrainTestCluster.MucService;
    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_groupchat_message_is_one_write_per_session_and_touches_no_storage()
    {
        var owner = await _cluster.ConnectAsync("owner", "desk");
        await owner.CreateInstantRoomAsync("square", "Owner");
        var occupants = new List<GrainTestCluster.Client> { owner };
        for (var i = 0; i < 20; i++)
        {
            var client = await _cluster.ConnectAsync($"citizen{i}", "phone");
            await client.JoinAsync("square", $"Citizen{i}");
            await client.NextAsync(m => m.Child("subject", Namespaces.Client) is not null);
            occupants.Add(client);
        }

        foreach (var client in occupants)
        {
            await client.Session.DrainAsync();
            lock (client.Session.Batches)
            {
                client.Session.Batches.Clear();
            }
        }

        var reads = _cluster.Storage.Reads;
        var writes = _cluster.Storage.Writes;
        await occupants[3].SendAsync($"<message type='groupchat' to='{Room}' id='news'><body>Hear ye</body></message>");

        foreach (var client in occupants)
        {
            var message = await client.NextAsync();
            Assert.Equal((Room + "/Citizen2", "news", client.Jid.ToString()), (message.From, message.Id, message.To));
        }

        await Task.Delay(100);
        foreach (var client in occupants)
        {
            lock (client.Session.Batches)
            {
                var batch = Assert.Single(client.Session.Batches);
                Assert.Single(batch);
            }
        }

        Assert.Equal((reads, writes), (_cluster.Storage.Reads, _cluster.Storage.Writes));
    }

    [Fact]
    public async Task A_join_reaches_the_joining_session_in_one_write()
    {
        var owner = await _cluster.ConnectAsync("owner", "desk");
        await owner.CreateInstantRoomAsync("square", "Owner");
        await owner.SendAsync($"<message type='groupchat' to='{Room}' id='h'><body>Old news</body></message>");
        await owner.NextAsync();
        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        await juliet.JoinAsync("square", "Juliet");
        await juliet.NextAsync(m => m.Child("subject", Namespaces.Client) is not null);

        // Everything a join produces for the joiner (presences, history, subject) is one write, as scansion expects.
        lock (juliet.Session.Batches)
        {
            var batch = Assert.Single(juliet.Session.Batches);
            Assert.Equal(["presence", "presence", "message", "message"], batch.Select(s => s.Name));
        }
    }
}
