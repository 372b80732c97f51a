using Microsoft.Extensions.Hosting;
using Xmpp.Storage;
using Xmpp.Storage.AzureTables;

namespace Xmpp.Server;

/// <summary>
/// Before the server takes clients, makes sure its Azure Tables storage answers (creating its
/// tables): a service that cannot be reached stops the start with one line naming it and its
/// address, instead of every login failing later.
/// </summary>
internal sealed class StorageStartCheck(IStateStore state, IAccountStore accounts, Uri service) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ((AzureTableStateStore)state).EnsureTableAsync();
            await ((AzureTableAccountStore)accounts).EnsureTableAsync();
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or System.Net.Sockets.SocketException or AggregateException)
        {
            throw new StorageUnreachableException($"Cannot reach the storage service (Storage:Provider=AzureTables) at {service}: {e.Message}", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The storage service could not be reached at start (the message names it).</summary>
internal sealed class StorageUnreachableException(string message, Exception inner) : InvalidOperationException(message, inner);
