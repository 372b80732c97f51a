using System.Globalization;
using Xmpp.Gateway.Tests;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// A real Redis (Debian's redis-server, which the test command installs) on a free loopback port,
/// nothing saved to disk, stopped with the fixture.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private LoopbackServiceProcess? _process;

    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public async Task InitializeAsync()
    {
        Port = LoopbackServiceProcess.FreePort();
        _process = await LoopbackServiceProcess.StartAsync(
            "redis-server",
            ["--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"],
            Port,
            "apt-get install redis-server (test.sh does)");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
