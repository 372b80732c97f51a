namespace Xmpp.Gateway.Tests;

/// <summary>Stopping the server closes every stream with system-shutdown (RFC 6120 §4.9.3.21).</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sessions_get_system_shutdown_when_the_server_stops()
    {
        var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var bound = await server.LoginAsync("alice", "pencil", "r");
        await using var negotiating = await server.ConnectAsync();
        await negotiating.OpenStreamAsync();

        var stopping = server.DisposeAsync().AsTask();
        Assert.Equal("system-shutdown", await bound.ReadStreamErrorAsync());
        Assert.Equal("system-shutdown", await negotiating.ReadStreamErrorAsync());
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
