using Xmpp.Runtime.Storage;

namespace Xmpp.Gateway.Sasl;

/// <summary>What a mechanism needs from the server: the domain, the accounts and the policy.</summary>
internal sealed class SaslContext(string domain, IAccountStore accounts, bool openAuthentication, int scramIterations, byte[] fakeSaltKey)
{
    public string Domain { get; } = domain;

    public IAccountStore Accounts { get; } = accounts;

    /// <summary>Testing only: any password is right and unknown accounts are created.</summary>
    public bool OpenAuthentication { get; } = openAuthentication;

    public int ScramIterations { get; } = scramIterations;

    /// <summary>Secret for salts of accounts that do not exist, so SCRAM does not reveal which do.</summary>
    public byte[] FakeSaltKey { get; } = fakeSaltKey;

    /// <summary>
    /// Authorization identity check shared by mechanisms: empty, or the account's own bare JID
    /// (RFC 6120 §6.3.8; acting for someone else is not offered).
    /// </summary>
    public bool IsAcceptableAuthzid(string? authzid, string username) =>
        string.IsNullOrEmpty(authzid)
        || (Jid.TryParse(authzid, out var jid) && jid.IsBare && jid.Local == username && jid.Domain == Domain);
}
