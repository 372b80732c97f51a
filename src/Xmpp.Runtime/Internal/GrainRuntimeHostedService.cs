using Microsoft.Extensions.Hosting;

namespace Xmpp.Runtime.Internal;

/// <summary>Ties the runtime to the host's lifetime: stopping the host deactivates every grain.</summary>
internal sealed class GrainRuntimeHostedService(GrainRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
