using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;
using Xmpp.Gateway.Tcp;
using Xmpp.Server;
using Xmpp.Storage;

namespace Xmpp.Scansion.Running;

/// <summary>
/// Servers as a cluster inside the test process: Orleans' <see cref="InProcessTestCluster"/> with
/// every silo built as the executable builds itself (<see cref="XmppServerHost.ConfigureSiloHost"/>),
/// so each silo owns a c2s listener, and one in-memory store shared by all, as a deployment shares
/// its database. Each silo gets a data folder of its own (its generated certificate).
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private readonly string _dataRoot;

    private InProcessCluster(InProcessTestCluster cluster, string dataRoot)
    {
        _cluster = cluster;
        _dataRoot = dataRoot;
    }

    /// <summary>Each silo's c2s endpoint, in silo order.</summary>
    public IReadOnlyList<IPEndPoint> C2sEndpoints =>
        [.. _cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<C2sListener>().LocalEndPoint!)];

    /// <summary>The services of the first silo (its account store is everyone's).</summary>
    public IServiceProvider Services => _cluster.Silos[0].ServiceProvider;

    public static async Task<InProcessCluster> StartAsync(int silos, string[] args, CancellationToken cancellationToken)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "xmpp-scansion", Guid.NewGuid().ToString("N"));
        var state = new InMemoryStateStore();
        var accounts = new InMemoryAccountStore();
        var builder = new InProcessTestClusterBuilder(checked((short)silos));
        builder.ConfigureSiloHost((silo, host) =>
        {
            XmppServerHost.ConfigureSiloHost(host, [.. args, $"--DataDirectory={Path.Combine(dataRoot, silo.SiloName)}"]);
            host.Services.RemoveAll<IStateStore>();
            host.Services.RemoveAll<IAccountStore>();
            host.Services.AddSingleton<IStateStore>(state);
            host.Services.AddSingleton<IAccountStore>(accounts);
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync(cancellationToken);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return new InProcessCluster(cluster, dataRoot);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
