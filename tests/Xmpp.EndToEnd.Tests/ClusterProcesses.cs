using System.Globalization;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// Server processes forming one Orleans cluster, as the README runs them: Azure Tables storage on a
/// table service (Azurite), clustering through the same service or through Redis, each process
/// with its own ports and data directory. Accounts are added with the admin CLI against the tables.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    private readonly string[] _shared;
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "xmpp-e2e-cluster", Guid.NewGuid().ToString("N"));
    private readonly List<ServerProcess?> _processes = [];

    private ClusterProcesses(string clusteringProvider, string clusteringConnectionString, string connectionString, IEnumerable<string> arguments)
    {
        // A cluster of its own: tests may share a clustering service (one Redis).
        var name = "c" + Guid.NewGuid().ToString("N")[..12];
        _shared =
        [
            .. arguments,
            $"--Orleans:Clustering:Provider={clusteringProvider}",
            $"--Orleans:Clustering:ConnectionString={clusteringConnectionString}",
            $"--Orleans:ClusterId={name}",
            $"--Orleans:ServiceId={name}",
            "--Orleans:AdvertisedAddress=127.0.0.1",
            "--Storage:Provider=AzureTables",
            $"--Storage:ConnectionString={connectionString}",
        ];
    }

    /// <summary>
    /// Starts <paramref name="count"/> processes storing in Azure Tables at <paramref name="connectionString"/>
    /// and clustering through the same service, or through <paramref name="clustering"/> (provider and connection string) when given.
    /// They start one after the other: each joins the cluster the earlier ones formed. Each gets
    /// <paramref name="arguments"/> first (a <c>--config</c> profile, say).
    /// </summary>
    public static async Task<ClusterProcesses> StartAsync(
        string connectionString, int count, (string Provider, string ConnectionString)? clustering = null, IEnumerable<string>? arguments = null)
    {
        var (provider, clusteringConnectionString) = clustering ?? ("AzureStorage", connectionString);
        var cluster = new ClusterProcesses(provider, clusteringConnectionString, connectionString, arguments ?? []);
        try
        {
            for (var i = 0; i < count; i++)
            {
                cluster._processes.Add(await ServerProcess.StartAsync([.. cluster._shared, $"--DataDirectory={Path.Combine(cluster._dataRoot, i.ToString(CultureInfo.InvariantCulture))}"]));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Each live process's c2s endpoint, in start order.</summary>
    public IReadOnlyList<System.Net.IPEndPoint> C2sEndpoints => [.. _processes.OfType<ServerProcess>().Select(p => p.C2sEndpoint)];

    public ServerProcess this[int index] => _processes[index] ?? throw new InvalidOperationException($"Process {index} was killed.");

    public async Task AddUserAsync(string user, string password)
    {
        var (exitCode, output) = await ServerProcess.RunToEndAsync(["user", "add", user, password, .. _shared, $"--DataDirectory={_dataRoot}"]);
        Assert.True(exitCode == 0, $"user add {user} failed: {output}");
    }

    /// <summary>SIGKILL: the process gets no chance to hand anything over.</summary>
    public async Task KillAsync(int index)
    {
        var process = this[index];
        _processes[index] = null;
        await process.DisposeAsync();
    }

    /// <summary>What every live process wrote, for failure messages.</summary>
    public string Output => string.Join("\n", _processes.Select((p, i) => p is null ? $"[{i}] killed" : $"[{i}]\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        _processes.Clear();
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
