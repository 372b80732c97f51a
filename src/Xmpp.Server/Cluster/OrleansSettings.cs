namespace Xmpp.Server.Cluster;

/// <summary>
/// The <c>Orleans</c> configuration section: how this process joins its cluster. Every server
/// process is a silo that also owns client connections (DESIGN §1).
/// </summary>
public sealed class OrleansSettings
{
    public const string SectionName = "Orleans";

    public const string LocalhostClustering = "Localhost";

    public const string AzureStorageClustering = "AzureStorage";

    public const string RedisClustering = "Redis";

    public ClusteringSettings Clustering { get; set; } = new();

    /// <summary>The cluster's name: silos with the same one form a cluster.</summary>
    public string ClusterId { get; set; } = "xmpp";

    /// <summary>
    /// The service's name, stable across deployments; every silo and client of the service has the
    /// same. Stored state is not keyed by it: give each service its own storage (SQLite file, or
    /// Azure Storage account).
    /// </summary>
    public string ServiceId { get; set; } = "orleans-xmpp";

    /// <summary>Silo-to-silo port; 0 picks a free one (tests).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for Orleans clients such as the admin CLI's room commands; 0 picks a free one (tests).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos reach this one at (clustering through a shared service only). Unset:
    /// the host's first IPv4 address that is up and not loopback, or loopback when it has none.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// How long a grain may go without a call before Orleans deactivates it (a user with connected
    /// sessions and a room with occupants stay regardless). Orleans' default.
    /// </summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle grains are looked for; must be less than <see cref="CollectionAge"/>.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many grain locations each silo caches. Orleans' default, 1,000,000, allocates its table
    /// up front: ~18 MB of every server's memory, idle or not (measured with the heap histogram).
    /// </summary>
    public int DirectoryCacheSize { get; set; } = 100_000;

    public sealed class ClusteringSettings
    {
        /// <summary>
        /// <c>Localhost</c>: this one process is the whole cluster; no external service.
        /// <c>AzureStorage</c>: silos find each other in an Azure Storage table (Azurite locally).
        /// <c>Redis</c>: silos find each other in a Redis hash.
        /// </summary>
        public string Provider { get; set; } = LocalhostClustering;

        /// <summary>
        /// The clustering service's connection string: an Azure Storage one for <c>AzureStorage</c>
        /// (or give <see cref="ServiceUri"/> instead), a StackExchange.Redis configuration
        /// (<c>host:port,password=…</c>) for <c>Redis</c>.
        /// </summary>
        public string? ConnectionString { get; set; }

        /// <summary>
        /// <c>AzureStorage</c> without a key: the table endpoint (<c>https://&lt;account&gt;.table.core.windows.net</c>),
        /// signed in to with Azure.Identity's <c>DefaultAzureCredential</c> — on Azure the app's managed
        /// identity (a user-assigned one named by the <c>AZURE_CLIENT_ID</c> environment variable), which
        /// needs the role "Storage Table Data Contributor" on the account. Not with <see cref="ConnectionString"/>.
        /// </summary>
        public string? ServiceUri { get; set; }
    }
}
