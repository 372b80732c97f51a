using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>One sender's share of an account's offline store: a flood from one JID leaves room for everyone else.</summary>
public sealed class OfflineShareTests
{
    [Fact]
    public async Task A_flooder_is_refused_past_its_share_and_a_contacts_message_still_waits_offline()
    {
        await using var server = await TestServer.StartAsync("--Xmpp:OfflineMessagesPerSender=3", "--Xmpp:OfflineMessageLimit=5", "--management-port", "-1");
        foreach (var name in new[] { "juliet", "tybalt", "romeo" })
        {
            await server.AddUserAsync(name, "pencil");
        }

        await using (var tybalt = await server.LoginAsync("tybalt", "pencil"))
        {
            for (var i = 0; i < 5; i++)
            {
                await tybalt.SendAsync($"<message to='juliet@localhost' type='chat' id='flood{i}'><body>spam {i}</body></message>");
            }

            for (var i = 3; i < 5; i++)
            {
                var refused = await tybalt.ReadUntilAsync(e => e.Id == $"flood{i}");
                Assert.Equal(("error", "resource-constraint"), (refused.Type, StanzaError.FromStanza(refused)!.Condition));
            }
        }

        await using (var romeo = await server.LoginAsync("romeo", "pencil"))
        {
            await romeo.SendAsync("<message to='juliet@localhost' type='chat' id='love'><body>Meet me at the balcony</body></message>");
            await romeo.SendAsync("<iq type='get' id='sync' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            var next = await romeo.ReadUntilAsync(e => e.Id is "love" or "sync");
            Assert.Equal("sync", next.Id); // no error for the contact
        }

        await using var juliet = await server.LoginAsync("juliet", "pencil");
        await juliet.SendAsync("<presence/>");
        var offline = new List<string?>();
        while (offline.Count < 4)
        {
            offline.Add((await juliet.ReadUntilAsync(e => e.Name == Stanza.Message)).Id);
        }

        Assert.Equal(["flood0", "flood1", "flood2", "love"], offline);
        var metrics = await MetricsScrape.ReadAsync(server.Server.ManagementEndpoint!);
        Assert.True(metrics.Value("xmpp_limit_hits_total", ("limit", "offline_per_sender")) >= 2, metrics.Text);
    }
}
