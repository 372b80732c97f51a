namespace Xmpp.Storage.AzureTables;

/// <summary>
/// The tables of one Azure Tables storage and where their service is: what a start-up check needs
/// to tell a service that answers from one that cannot be reached.
/// </summary>
public sealed class AzureTableStorageTables
{
    private readonly TableOnFirstUse[] _tables;

    internal AzureTableStorageTables(Uri endpoint, params TableOnFirstUse[] tables)
    {
        Endpoint = endpoint;
        _tables = tables;
    }

    /// <summary>The table service's address.</summary>
    public Uri Endpoint { get; }

    /// <summary>Creates the tables that are missing; throws what the service (or the network) answered when it cannot.</summary>
    public async Task CreateMissingAsync()
    {
        foreach (var table in _tables)
        {
            await table.GetAsync().ConfigureAwait(false);
        }
    }
}
