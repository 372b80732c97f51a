using Xmpp.Gateway.Transport;
using Xmpp.Storage;

namespace Xmpp.Gateway.Sasl;

/// <summary>What a mechanism needs from the server: the domain, the accounts and the policy.</summary>
internal sealed class SaslContext(string domain, IAccountStore accounts, bool openAuthentication, int scramIterations, byte[] fakeSaltKey)
{
    public string Domain { get; } = domain;

    /// <summary>For writes; mechanisms look accounts up with <see cref="FindAccountAsync"/>.</summary>
    public IAccountStore Accounts { get; } = accounts;

    /// <summary>Testing only: any password is right and unknown accounts are created.</summary>
    public bool OpenAuthentication { get; } = openAuthentication;

    public int ScramIterations { get; } = scramIterations;

    /// <summary>Secret for salts of accounts that do not exist, so SCRAM does not reveal which do.</summary>
    public byte[] FakeSaltKey { get; } = fakeSaltKey;

    /// <summary>
    /// Looks an account up on the thread pool, and returns there: the store may read synchronously
    /// (SQLite) and the caller goes on to derive keys, neither of which belongs on a socket
    /// engine's thread (<see cref="ThreadPoolHop"/>). A caller on a socket engine's thread must
    /// hop itself first (the session does before a mechanism starts): a lookup that completed before
    /// its caller awaited it would let the caller carry on where it was.
    /// </summary>
    public async ValueTask<Account?> FindAccountAsync(string username, CancellationToken cancellationToken)
    {
        await ThreadPoolHop.Ensure();
        var account = await Accounts.FindAsync(username, cancellationToken);
        await ThreadPoolHop.Ensure(); // an asynchronous store may complete on its own I/O thread
        return account;
    }

    /// <summary>
    /// Authorization identity check shared by mechanisms: empty, or the account's own bare JID
    /// (RFC 6120 §6.3.8; acting for someone else is not offered).
    /// </summary>
    public bool IsAcceptableAuthzid(string? authzid, string username) =>
        string.IsNullOrEmpty(authzid)
        || (Jid.TryParse(authzid, out var jid) && jid.IsBare && jid.Local == username && jid.Domain == Domain);
}
