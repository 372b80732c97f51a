using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>What one account may start per minute (Xmpp:Limits): subscription requests and room joins, across its sessions.</summary>
public sealed class AccountLimitTests
{
    [Fact]
    public async Task Subscription_requests_and_room_joins_past_the_minutes_limit_are_refused_across_sessions()
    {
        await using var server = await TestServer.StartAsync("--Xmpp:Limits:SubscriptionRequestsPerMinute=2", "--Xmpp:Limits:RoomJoinsPerMinute=2", "--management-port", "-1");
        await server.AddUserAsync("spammer", "pencil");
        await using var first = await server.LoginAsync("spammer", "pencil", "one");
        await using var second = await server.LoginAsync("spammer", "pencil", "two");

        await first.SendAsync("<presence type='subscribe' to='a@localhost' id='s1'/>");
        await second.SendAsync("<presence type='subscribe' to='b@localhost' id='s2'/>");
        await second.SendAsync("<presence type='subscribe' to='c@localhost' id='s3'/>");
        var refused = await second.ReadUntilAsync(e => e.Id == "s3" && e.Type == "error");
        Assert.Equal(("wait", "resource-constraint"), (StanzaError.FromStanza(refused)!.Type, StanzaError.FromStanza(refused)!.Condition));

        for (var i = 1; i <= 3; i++)
        {
            await first.SendAsync($"<presence to='room{i}@conference.localhost/spammer' id='j{i}'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        }

        // The third is refused at once; the first two reach their rooms (the reply comes from the room, later).
        refused = await first.ReadUntilAsync(e => e.Id == "j3");
        Assert.Equal("resource-constraint", StanzaError.FromStanza(refused)!.Condition);
        await first.ReadUntilAsync(e => e.From == "room2@conference.localhost/spammer" && e.Type is null);
        var metrics = await MetricsScrape.ReadAsync(server.Server.ManagementEndpoint!);
        Assert.True(metrics.Value("xmpp_limit_hits_total", ("limit", "subscription_requests")) >= 1, metrics.Text);
        Assert.True(metrics.Value("xmpp_limit_hits_total", ("limit", "room_joins")) >= 1, metrics.Text);
    }
}
