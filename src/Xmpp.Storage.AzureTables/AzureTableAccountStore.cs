using Azure;
using Azure.Data.Tables;

namespace Xmpp.Storage.AzureTables;

/// <summary>
/// Accounts (SCRAM keys only) in an Azure Storage table, one entity per account: the escaped
/// username is its partition, so accounts never contend with each other.
/// </summary>
public sealed class AzureTableAccountStore : IAccountStore
{
    private const string Row = "account";

    private readonly TableOnFirstUse _tables;

    public AzureTableAccountStore(TableServiceClient service, string tableName = "xmppaccounts")
    {
        ArgumentNullException.ThrowIfNull(service);
        _tables = new TableOnFirstUse(service, tableName);
    }

    /// <summary>The store's table (for <see cref="AzureTableStorageTables"/>).</summary>
    internal TableOnFirstUse Table => _tables;

    public async Task<Account?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(username), Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? ToAccount(found.Value!) : null;
    }

    public async Task<bool> CreateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var table = await _tables.GetAsync().ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(account), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> UpdateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var table = await _tables.GetAsync().ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(ToEntity(account), ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<bool> DeleteAsync(string username, CancellationToken cancellationToken = default)
    {
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var response = await table.DeleteEntityAsync(TableKeys.Escape(username), Row, ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        var table = await _tables.GetAsync().ConfigureAwait(false);
        var names = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            names.Add(TableKeys.Unescape(entity.PartitionKey));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static TableEntity ToEntity(Account account)
    {
        var entity = new TableEntity(TableKeys.Escape(account.Username), Row);
        Put(entity, "Sha1", account.Sha1);
        Put(entity, "Sha256", account.Sha256);
        return entity;
    }

    private static void Put(TableEntity entity, string hash, ScramCredential credential)
    {
        entity[hash + "Salt"] = credential.Salt.ToArray();
        entity[hash + "Iterations"] = credential.Iterations;
        entity[hash + "StoredKey"] = credential.StoredKey.ToArray();
        entity[hash + "ServerKey"] = credential.ServerKey.ToArray();
    }

    private static Account ToAccount(TableEntity entity) =>
        new(TableKeys.Unescape(entity.PartitionKey), Get(entity, "Sha1"), Get(entity, "Sha256"));

    private static ScramCredential Get(TableEntity entity, string hash) =>
        new(entity.GetBinary(hash + "Salt"), entity.GetInt32(hash + "Iterations") ?? 0, entity.GetBinary(hash + "StoredKey"), entity.GetBinary(hash + "ServerKey"));
}
