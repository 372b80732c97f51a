namespace Xmpp.Storage;

/// <summary>
/// Accounts of the local domain. Passwords are never stored: only SCRAM keys (RFC 5802/7677),
/// from which PLAIN logins are checked too.
/// </summary>
public interface IAccountStore
{
    Task<Account?> FindAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Creates the account; false when the name is taken. Durable when the task completes.</summary>
    Task<bool> CreateAsync(Account account, CancellationToken cancellationToken = default);

    /// <summary>Replaces the credentials of an existing account; false when there is none.</summary>
    Task<bool> UpdateAsync(Account account, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>All usernames, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);
}
