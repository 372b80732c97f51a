using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Xmpp.Server.Logging;

/// <summary>The last service to stop: says that the shutdown the gateway announced has finished.</summary>
internal sealed class ShutdownLog(ILogger<ShutdownLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Shutdown finished");
        return Task.CompletedTask;
    }
}
