using System.Net;
using Azure.Data.Tables;
using Xmpp.EndToEnd.Tests;
using Xmpp.Gateway.Tests;
using Xmpp.Storage;
using Xmpp.Storage.AzureTables;

namespace Xmpp.Scansion.Running;

/// <summary>
/// Real server processes as one cluster on a fresh Azurite of their own, as an operator runs them
/// (<see cref="ClusterProcesses"/>: Azure Storage clustering and Azure Tables storage over the
/// script's settings). Stopped, Azurite with them, on dispose.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly Azurite _azurite;
    private readonly ClusterProcesses _processes;

    private ProcessCluster(Azurite azurite, ClusterProcesses processes)
    {
        _azurite = azurite;
        _processes = processes;
    }

    public IReadOnlyList<IPEndPoint> C2sEndpoints => _processes.C2sEndpoints;

    /// <summary>The accounts table every process reads.</summary>
    public IAccountStore Accounts => new AzureTableAccountStore(new TableServiceClient(_azurite.ConnectionString));

    public static async Task<ProcessCluster> StartAsync(int count, string[] args, CancellationToken cancellationToken)
    {
        var azurite = new Azurite();
        await azurite.InitializeAsync();
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessCluster(azurite, await ClusterProcesses.StartAsync(azurite.ConnectionString, count, arguments: args));
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
