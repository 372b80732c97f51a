using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Azure.Data.Tables;
using Orleans.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Xmpp.Server.Cluster;

/// <summary>Turns <see cref="OrleansSettings"/> into the silo's configuration.</summary>
internal static class SiloConfiguration
{
    public static OrleansSettings Read(IConfiguration configuration)
    {
        var settings = configuration.GetSection(OrleansSettings.SectionName).Get<OrleansSettings>() ?? new OrleansSettings();
        if (!IsLocalhost(settings) && !IsAzureStorage(settings) && !IsRedis(settings))
        {
            throw new InvalidOperationException(
                $"Unknown Orleans:Clustering:Provider '{settings.Clustering.Provider}' (expected {OrleansSettings.LocalhostClustering}, {OrleansSettings.AzureStorageClustering} or {OrleansSettings.RedisClustering}).");
        }

        if (IsRedis(settings))
        {
            if (!string.IsNullOrWhiteSpace(settings.Clustering.ServiceUri))
            {
                throw new InvalidOperationException("Orleans:Clustering:ServiceUri is for AzureStorage clustering; Redis takes Orleans:Clustering:ConnectionString.");
            }

            if (string.IsNullOrWhiteSpace(settings.Clustering.ConnectionString))
            {
                throw new InvalidOperationException($"Orleans:Clustering:ConnectionString is required with Orleans:Clustering:Provider={settings.Clustering.Provider}.");
            }
        }

        if (!IsLocalhost(settings))
        {
            _ = ServiceAddress(settings); // settings that cannot work are refused here, named, not deep in Orleans' start
        }

        if (settings.AdvertisedAddress is { } advertised && !IPAddress.TryParse(advertised, out _))
        {
            throw new InvalidOperationException($"Orleans:AdvertisedAddress '{advertised}' is not an IP address.");
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

        // Orleans' default directory (LocalGrainDirectory) loses the entries a crashed silo owned
        // and so deactivates every activation they pointed at, on the silos that survived: users
        // there were disconnected when another process was killed. The distributed directory
        // (strongly consistent, Orleans 9+) rebuilds a lost range by asking the survivors for
        // their activations instead, so they stay. Experimental in 10.4.2 (ORLEANSEXP003).
#pragma warning disable ORLEANSEXP003
        services.AddOrleans(silo => silo.AddDistributedGrainDirectory());
#pragma warning restore ORLEANSEXP003
    }

    /// <summary>The executable's clustering: one process on localhost, or silos meeting in an Azure Storage table or in Redis.</summary>
    public static void ConfigureClustering(ISiloBuilder silo, OrleansSettings settings)
    {
        if (IsLocalhost(settings))
        {
            silo.UseLocalhostClustering(
                siloPort: PortOrFree(settings.SiloPort),
                gatewayPort: PortOrFree(settings.GatewayPort),
                serviceId: settings.ServiceId,
                clusterId: settings.ClusterId);
            return;
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        silo.ConfigureEndpoints(AdvertisedAddress(settings), PortOrFree(settings.SiloPort), PortOrFree(settings.GatewayPort), listenOnAnyHostAddress: true);
        if (IsRedis(settings))
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(settings));
        }
        else
        {
            silo.UseAzureStorageClustering(o => o.TableServiceClient = TableService(settings));
        }

        // A silo that stops answering is declared dead after about two missed probes of a second
        // each, by one vote, instead of Orleans' default ~18 s: its users' grains reactivate on the
        // other silos and their clients can bind there (ORLEANS.md measured ~1.2 s with these).
        var tableRefresh = TimeSpan.FromSeconds(2);
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = tableRefresh;
        });

        // After a silo is declared dead, the directory holds its grains back from reactivating for
        // this long, in case it was only cut off and still runs them (Orleans' default: about 20 s
        // of users unable to log in again). A silo reads the membership table every refresh and
        // stops itself when it finds itself dead, so two refreshes and a second cover it; stored
        // state is guarded by ETags besides.
        silo.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = 2 * tableRefresh + TimeSpan.FromSeconds(1));
    }

    private static TableServiceClient TableService(OrleansSettings settings) =>
        AzureTableService.Create(
            "Orleans:Clustering",
            $"Orleans:Clustering:Provider={settings.Clustering.Provider}",
            settings.Clustering.ConnectionString,
            settings.Clustering.ServiceUri);

    private static ConfigurationOptions RedisOptions(OrleansSettings settings)
    {
        try
        {
            return ConfigurationOptions.Parse(settings.Clustering.ConnectionString!);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Orleans:Clustering:ConnectionString is not a Redis configuration string: {e.Message}", e);
        }
    }

    /// <summary>Where the clustering service is, as an operator would look for it.</summary>
    private static string ServiceAddress(OrleansSettings settings) =>
        IsRedis(settings) ? string.Join(", ", RedisOptions(settings).EndPoints) : TableService(settings).Uri.ToString();

    /// <summary>
    /// When a silo's start failed because its clustering service could not be reached or signed in
    /// to, says which service at which address (for the one line a bad start prints); otherwise null.
    /// </summary>
    public static string? ClusteringUnreachable(Exception failure, OrleansSettings settings)
    {
        if (IsLocalhost(settings))
        {
            return null;
        }

        for (var e = failure; e is not null; e = e.InnerException) // an AggregateException's is its first
        {
            if (e is Azure.RequestFailedException or System.Net.Http.HttpRequestException or SocketException or RedisConnectionException)
            {
                return $"Cannot reach the clustering service (Orleans:Clustering:Provider={settings.Clustering.Provider}) at {ServiceAddress(settings)}: {e.Message}";
            }

            if (AzureTableService.IsSignInFailure(e))
            {
                return $"Cannot sign in to the clustering service (Orleans:Clustering:Provider={settings.Clustering.Provider}, Orleans:Clustering:ServiceUri) at {ServiceAddress(settings)}: {e.Message}";
            }
        }

        return null;
    }

    private static bool IsLocalhost(OrleansSettings settings) =>
        settings.Clustering.Provider.Equals(OrleansSettings.LocalhostClustering, StringComparison.OrdinalIgnoreCase);

    private static bool IsAzureStorage(OrleansSettings settings) =>
        settings.Clustering.Provider.Equals(OrleansSettings.AzureStorageClustering, StringComparison.OrdinalIgnoreCase);

    private static bool IsRedis(OrleansSettings settings) =>
        settings.Clustering.Provider.Equals(OrleansSettings.RedisClustering, StringComparison.OrdinalIgnoreCase);

    /// <summary>The configured address, else the first IPv4 address of an interface that is up and not loopback.</summary>
    private static IPAddress AdvertisedAddress(OrleansSettings settings)
    {
        if (settings.AdvertisedAddress is { } configured)
        {
            return IPAddress.Parse(configured);
        }

        return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up
                && n.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? IPAddress.Loopback;
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
