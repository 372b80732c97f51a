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

    [Fact]
    public async Task Stopping_drops_sessions_that_do_not_close_within_the_shutdown_timeout()
    {
        // The client never answers our </stream:stream>; without the shutdown deadline the server
        // would wait the whole close timeout (a minute) for it.
        var server = await TestServer.StartAsync("--Gateway:ShutdownTimeout=00:00:01", "--Gateway:Limits:CloseTimeout=00:01:00");
        await server.AddUserAsync("alice", "pencil");
        await using var silent = await server.LoginAsync("alice", "pencil", "r");

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var stopping = server.DisposeAsync().AsTask();
        Assert.Equal("system-shutdown", await silent.ReadStreamErrorConditionAsync());
        Assert.True(await silent.WaitForDisconnectAsync(TimeSpan.FromSeconds(20)), "the connection was not dropped");
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {stopwatch.Elapsed}");
    }
}
