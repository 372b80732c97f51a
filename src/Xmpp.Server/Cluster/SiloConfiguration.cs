using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Xmpp.Server.Cluster;

/// <summary>Turns <see cref="OrleansSettings"/> into the silo's configuration.</summary>
internal static class SiloConfiguration
{
    public static OrleansSettings Read(IConfiguration configuration)
    {
        var settings = configuration.GetSection(OrleansSettings.SectionName).Get<OrleansSettings>() ?? new OrleansSettings();
        if (!settings.Clustering.Provider.Equals(OrleansSettings.LocalhostClustering, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Unknown Orleans:Clustering:Provider '{settings.Clustering.Provider}' (expected {OrleansSettings.LocalhostClustering}).");
        }

        if (string.IsNullOrWhiteSpace(settings.ClusterId) || string.IsNullOrWhiteSpace(settings.ServiceId))
        {
            throw new InvalidOperationException("Orleans:ClusterId and Orleans:ServiceId may not be empty.");
        }

        if (settings.DirectoryCacheSize <= 0)
        {
            throw new InvalidOperationException("Orleans:DirectoryCacheSize must be positive.");
        }

        if (settings.CollectionQuantum <= TimeSpan.Zero || settings.CollectionAge <= settings.CollectionQuantum)
        {
            throw new InvalidOperationException("Orleans:CollectionAge must be longer than Orleans:CollectionQuantum, which must be positive.");
        }

        return settings;
    }

    /// <summary>What every silo of this server has, whoever builds it (the executable or a test cluster).</summary>
    public static void AddSiloServices(IServiceCollection services, OrleansSettings settings)
    {
        services.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionAge = settings.CollectionAge;
            o.CollectionQuantum = settings.CollectionQuantum;
        });
        services.Configure<GrainDirectoryOptions>(o => o.CacheSize = settings.DirectoryCacheSize);
    }

    /// <summary>The executable's clustering: one process on localhost (the next providers come with Azure and Redis).</summary>
    public static void ConfigureClustering(ISiloBuilder silo, OrleansSettings settings)
    {
        silo.UseLocalhostClustering(
            siloPort: PortOrFree(settings.SiloPort),
            gatewayPort: PortOrFree(settings.GatewayPort),
            serviceId: settings.ServiceId,
            clusterId: settings.ClusterId);
    }

    /// <summary>0 means "any free port": one is found now, as Orleans needs the number before it listens.</summary>
    private static int PortOrFree(int port) => port != 0 ? port : FreeLoopbackPort();

    /// <summary>A loopback port nothing listens on right now.</summary>
    internal static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
