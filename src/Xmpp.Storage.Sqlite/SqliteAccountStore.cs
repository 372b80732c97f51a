
namespace Xmpp.Storage.Sqlite;

/// <summary>Accounts (SCRAM credentials only, never passwords) in the SQLite database.</summary>
public sealed class SqliteAccountStore(SqliteDatabase database) : IAccountStore
{
    public Task<Account?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(reader => reader.FindAccount(username)));
    }

    public Task<bool> CreateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return database.WriteAsync(writer => writer.CreateAccount(account), cancellationToken);
    }

    public Task<bool> UpdateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return database.WriteAsync(writer => writer.UpdateAccount(account), cancellationToken);
    }

    public Task<bool> DeleteAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        return database.WriteAsync(writer => writer.DeleteAccount(username), cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<string>>(database.Read(reader => reader.ListAccounts()));
    }
}
