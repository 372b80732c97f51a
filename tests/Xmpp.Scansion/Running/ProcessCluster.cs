using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using Xmpp.EndToEnd.Tests;
using Xmpp.Gateway.Tests;
using Xmpp.Storage;
using Xmpp.Storage.AzureTables;

namespace Xmpp.Scansion.Running;

/// <summary>
/// Real server processes as one cluster on a fresh Azurite, as an operator runs them: Azure
/// Storage clustering and Azure Tables storage over the script's settings, each process with its
/// own free ports and data folder. Stopped (processes killed, Azurite with them) on dispose.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly Azurite _azurite;
    private readonly List<ServerProcess> _processes = [];
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "xmpp-scansion-processes", Guid.NewGuid().ToString("N"));

    private ProcessCluster(Azurite azurite) => _azurite = azurite;

    public IReadOnlyList<IPEndPoint> C2sEndpoints => [.. _processes.Select(p => p.C2sEndpoint)];

    /// <summary>The accounts table every process reads.</summary>
    public IAccountStore Accounts => new AzureTableAccountStore(new TableServiceClient(_azurite.ConnectionString));

    public static async Task<ProcessCluster> StartAsync(int count, string[] args, CancellationToken cancellationToken)
    {
        var azurite = new Azurite();
        await azurite.InitializeAsync();
        var cluster = new ProcessCluster(azurite);
        try
        {
            string[] onAzure =
            [
                .. args,
                "--Orleans:Clustering:Provider=AzureStorage",
                $"--Orleans:Clustering:ConnectionString={azurite.ConnectionString}",
                "--Orleans:AdvertisedAddress=127.0.0.1",
                "--Storage:Provider=AzureTables",
                $"--Storage:ConnectionString={azurite.ConnectionString}",
            ];
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                cluster._processes.Add(await ServerProcess.StartAsync([.. onAzure, $"--DataDirectory={Path.Combine(cluster._dataRoot, i.ToString(CultureInfo.InvariantCulture))}"]));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
