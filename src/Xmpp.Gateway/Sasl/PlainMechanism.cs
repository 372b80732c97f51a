using System.Security.Cryptography;
using System.Text;

namespace Xmpp.Gateway.Sasl;

/// <summary>
/// SASL PLAIN (RFC 4616): <c>[authzid] NUL authcid NUL passwd</c> in one message. The password is
/// checked against the stored SCRAM-SHA-256 StoredKey, never stored itself.
/// </summary>
internal sealed class PlainMechanism(SaslContext context) : SaslMechanism
{
    public override async ValueTask<SaslStep> StartAsync(byte[]? initialResponse, CancellationToken cancellationToken)
    {
        if (initialResponse is null)
        {
            return SaslStep.Challenge([]); // RFC 4616 §2: the server sends an empty challenge
        }

        return await VerifyAsync(initialResponse, cancellationToken);
    }

    public override ValueTask<SaslStep> ContinueAsync(byte[] response, CancellationToken cancellationToken) =>
        VerifyAsync(response, cancellationToken);

    private async ValueTask<SaslStep> VerifyAsync(byte[] message, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(message);
        }
        catch (DecoderFallbackException)
        {
            return SaslStep.Failed(SaslFailure.MalformedRequest);
        }

        var first = text.IndexOf('\0', StringComparison.Ordinal);
        var second = first < 0 ? -1 : text.IndexOf('\0', first + 1);
        if (second < 0 || text.IndexOf('\0', second + 1) >= 0)
        {
            return SaslStep.Failed(SaslFailure.MalformedRequest);
        }

        var authzid = text[..first];
        var authcid = text[(first + 1)..second];
        var password = text[(second + 1)..];
        if (authcid.Length == 0 || password.Length == 0
            || !SaslPrep.TryPrepare(authcid, out var preparedAuthcid)
            || !Jid.TryPrepareLocalpart(preparedAuthcid, out var username, out _))
        {
            return SaslStep.Failed(SaslFailure.NotAuthorized);
        }

        Account = username;
        if (!context.IsAcceptableAuthzid(authzid, username))
        {
            return SaslStep.Failed(SaslFailure.InvalidAuthzid);
        }

        if (context.OpenAuthentication)
        {
            return await OpenLoginAsync(username, password, cancellationToken);
        }

        var account = await context.FindAccountAsync(username, cancellationToken);
        if (account is null)
        {
            // Spend the same work as a real check, so timing does not reveal which accounts exist.
            _ = ScramCredentials.Verify(FakeCredential, password, HashAlgorithmName.SHA256);
            return SaslStep.Failed(SaslFailure.NotAuthorized);
        }

        return ScramCredentials.Verify(account.Sha256, password, HashAlgorithmName.SHA256)
            ? SaslStep.Succeeded(username)
            : SaslStep.Failed(SaslFailure.NotAuthorized);
    }

    /// <summary>Open authentication (conformance testing): the account is created on first login.</summary>
    private async ValueTask<SaslStep> OpenLoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        if (await context.FindAccountAsync(username, cancellationToken) is null)
        {
            try
            {
                // A concurrent first login may win the race; either way the account exists afterwards.
                await context.Accounts.CreateAsync(ScramCredentials.CreateAccount(username, password, context.ScramIterations), cancellationToken);
            }
            catch (ArgumentException)
            {
                return SaslStep.Failed(SaslFailure.NotAuthorized);
            }
        }

        return SaslStep.Succeeded(username);
    }

    private static readonly Xmpp.Storage.ScramCredential FakeCredential =
        ScramCredentials.Derive(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), RandomNumberGenerator.GetBytes(16), ScramCredentials.DefaultIterations, HashAlgorithmName.SHA256);
}
