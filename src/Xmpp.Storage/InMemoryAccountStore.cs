using System.Collections.Concurrent;

namespace Xmpp.Storage;

/// <summary>Accounts in a dictionary: for tests and the "in-memory" storage mode.</summary>
public sealed class InMemoryAccountStore : IAccountStore
{
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    public Task<Account?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        return Task.FromResult(_accounts.TryGetValue(username, out var account) ? Copy(account) : null);
    }

    public Task<bool> CreateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Task.FromResult(_accounts.TryAdd(account.Username, Copy(account)));
    }

    public Task<bool> UpdateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var copy = Copy(account);
        while (_accounts.TryGetValue(account.Username, out var current))
        {
            if (_accounts.TryUpdate(account.Username, copy, current))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    public Task<bool> DeleteAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        return Task.FromResult(_accounts.TryRemove(username, out _));
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        var names = _accounts.Keys.ToList();
        names.Sort(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>(names);
    }

    // Byte arrays are mutable: keep callers from changing what is stored.
    private static Account Copy(Account account) =>
        new(account.Username, Copy(account.Sha1), Copy(account.Sha256));

    private static ScramCredential Copy(ScramCredential credential) =>
        new([.. credential.Salt], credential.Iterations, [.. credential.StoredKey], [.. credential.ServerKey]);
}
