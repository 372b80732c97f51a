using Microsoft.Extensions.DependencyInjection;
using Xmpp.Gateway.Sessions;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// Admission of new connections beyond the per-address limit: a cap on the connections that have
/// not authenticated yet, all addresses together, loopback included (which the per-address limit
/// exempts), so that a flood of idle streams cannot exhaust the server.
/// </summary>
public sealed class AdmissionTests
{
    [Fact]
    public async Task Over_the_cap_on_unauthenticated_connections_a_new_one_gets_resource_constraint_until_a_place_frees()
    {
        await using var server = await TestServer.StartAsync("--Gateway:Limits:MaxUnauthenticatedConnections=2");
        await server.AddUserAsync("alice", "pencil");
        var tracker = server.Services.GetRequiredService<SessionTracker>();
        await using var first = await server.ConnectAsync();
        await first.OpenStreamAsync();
        await using var second = await server.ConnectAsync();
        await second.OpenStreamAsync();

        // Two negotiate: a third is refused at once, its error after the server's stream header.
        await using (var refused = await server.ConnectAsync())
        {
            Assert.Equal("resource-constraint", await refused.ReadStreamErrorAsync());
        }

        Assert.Equal(2, tracker.UnauthenticatedCount);

        // One of the two authenticates: its place is free, and a new connection gets its features.
        Assert.Null(await first.AuthenticateAsync("PLAIN", "alice", "pencil"));
        Assert.Equal(1, tracker.UnauthenticatedCount);
        await using var third = await server.ConnectAsync();
        await third.OpenStreamAsync();

        // One that leaves before authenticating frees its place too.
        await second.CloseAsync();
        Assert.True(await second.WaitForDisconnectAsync());
        await Eventually.WaitUntilAsync(() => tracker.UnauthenticatedCount == 1);
        await using var fourth = await server.ConnectAsync();
        await fourth.OpenStreamAsync();
        Assert.Equal(2, tracker.UnauthenticatedCount);
    }
}
