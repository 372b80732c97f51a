using Azure.Data.Tables;

namespace Xmpp.Storage.AzureTables;

/// <summary>
/// A table that is created (if missing) before its first use. A creation that failed — the
/// service unreachable for a moment — is tried again on the next use instead of being remembered.
/// </summary>
internal sealed class TableOnFirstUse(TableServiceClient service, string name)
{
    private readonly TableClient _table = service.GetTableClient(name);
    private Task? _created;

    public async ValueTask<TableClient> GetAsync()
    {
        var created = Volatile.Read(ref _created);
        if (created is null || created.IsFaulted || created.IsCanceled)
        {
            created = _table.CreateIfNotExistsAsync();
            Volatile.Write(ref _created, created);
        }

        await created.ConfigureAwait(false);
        return _table;
    }
}
