using Microsoft.Extensions.Hosting;
using Xmpp.Storage.AzureTables;

namespace Xmpp.Server;

/// <summary>
/// Before the server takes clients, makes sure its Azure Tables storage answers (creating its
/// tables): a service that cannot be reached, or whose sign-in gets no token, stops the start with
/// one line naming it and its address, instead of every login failing later.
/// </summary>
internal sealed class StorageStartCheck(AzureTableStorageTables tables) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await tables.CreateMissingAsync();
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or System.Net.Sockets.SocketException or AggregateException)
        {
            throw new StorageUnreachableException($"Cannot reach the storage service (Storage:Provider=AzureTables) at {tables.Endpoint}: {e.Message}", e);
        }
        catch (Exception e) when (AzureTableService.IsSignInFailure(e))
        {
            throw new StorageUnreachableException($"Cannot sign in to the storage service (Storage:Provider=AzureTables, Storage:ServiceUri) at {tables.Endpoint}: {e.Message}", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The storage service could not be reached, or signed in to, at start (the message names it).</summary>
internal sealed class StorageUnreachableException(string message, Exception inner) : InvalidOperationException(message, inner);
