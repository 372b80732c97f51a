using System.Security.Cryptography;
using System.Text;
using Xmpp.Storage;

namespace Xmpp.Gateway.Sasl;

/// <summary>
/// Server side of SCRAM-SHA-1 / SCRAM-SHA-256 without channel binding (RFC 5802 §5, RFC 7677).
/// The client proves knowledge of ClientKey; the server checks H(ClientKey) against StoredKey and
/// proves itself with ServerSignature in the success data.
/// </summary>
internal sealed class ScramMechanism(SaslContext context, HashAlgorithmName hash) : SaslMechanism
{
    private const int NonceBytes = 18;

    private string? _gs2Header;
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;
    private string? _username;
    private ScramCredential? _credential;
    private bool _accountExists;

    public override async ValueTask<SaslStep> StartAsync(byte[]? initialResponse, CancellationToken cancellationToken)
    {
        if (initialResponse is null || initialResponse.Length == 0)
        {
            // RFC 6120 §6.4.2: no initial response, so ask for it with an empty challenge.
            return SaslStep.Challenge([]);
        }

        return await ClientFirstAsync(initialResponse, cancellationToken);
    }

    public override async ValueTask<SaslStep> ContinueAsync(byte[] response, CancellationToken cancellationToken)
    {
        if (_serverFirst is null)
        {
            return await ClientFirstAsync(response, cancellationToken);
        }

        return ClientFinal(response);
    }

    /// <summary>RFC 5802 §7: client-first-message = gs2-header client-first-message-bare.</summary>
    private async ValueTask<SaslStep> ClientFirstAsync(byte[] message, CancellationToken cancellationToken)
    {
        if (!TryDecode(message, out var text))
        {
            return SaslStep.Failed(SaslFailure.MalformedRequest);
        }

        // gs2-cbind-flag: "n" (client does not support binding) or "y" (it does, but we offered no
        // -PLUS mechanism). "p=" asks for binding we never offered.
        if (text.Length < 3 || text[0] is not ('n' or 'y') || text[1] != ',')
        {
            return SaslStep.Failed(SaslFailure.MalformedRequest, "Channel binding is not supported");
        }

        var authzidEnd = text.IndexOf(',', 2);
        if (authzidEnd < 0)
        {
            return SaslStep.Failed(SaslFailure.MalformedRequest);
        }

        string? authzid = null;
        if (authzidEnd > 2)
        {
            if (!text.AsSpan(2).StartsWith("a=") || !TryDecodeSaslName(text[4..authzidEnd], out authzid))
            {
                return SaslStep.Failed(SaslFailure.MalformedRequest);
            }
        }

        _gs2Header = text[..(authzidEnd + 1)];
        _clientFirstBare = text[(authzidEnd + 1)..];

        // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
        var parts = _clientFirstBare.Split(',');
        if (parts.Length < 2 || !parts[0].StartsWith("n=", StringComparison.Ordinal) || !parts[1].StartsWith("r=", StringComparison.Ordinal)
            || parts[1].Length < 3 || !TryDecodeSaslName(parts[0][2..], out var rawUsername))
        {
            // Also covers "m=" first: a mandatory extension we do not understand (RFC 5802 §5.1).
            return SaslStep.Failed(SaslFailure.MalformedRequest);
        }

        if (!SaslPrep.TryPrepare(rawUsername, out var preparedName) || !Jid.TryPrepareLocalpart(preparedName, out var username, out _))
        {
            return SaslStep.Failed(SaslFailure.NotAuthorized);
        }

        Account = username;
        if (!context.IsAcceptableAuthzid(authzid, username))
        {
            return SaslStep.Failed(SaslFailure.InvalidAuthzid);
        }

        var account = await context.FindAccountAsync(username, cancellationToken);
        _accountExists = account is not null;
        _credential = account is null ? FakeCredential(username) : (hash == HashAlgorithmName.SHA1 ? account.Sha1 : account.Sha256);
        _username = username;
        _nonce = parts[1][2..] + Convert.ToBase64String(RandomNumberGenerator.GetBytes(NonceBytes));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_credential.Salt)},i={_credential.Iterations}";
        return SaslStep.Challenge(Encoding.UTF8.GetBytes(_serverFirst));
    }

    /// <summary>RFC 5802 §3: verify ClientProof, answer with ServerSignature.</summary>
    private SaslStep ClientFinal(byte[] message)
    {
        if (!TryDecode(message, out var text) || _credential is null || _username is null)
        {
            return SaslStep.Failed(SaslFailure.MalformedRequest);
        }

        // client-final-message = channel-binding "," nonce ["," extensions] "," proof
        var proofStart = text.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofStart < 0)
        {
            return SaslStep.Failed(SaslFailure.MalformedRequest);
        }

        var withoutProof = text[..proofStart];
        var parts = withoutProof.Split(',');
        if (parts.Length < 2 || parts[0] != "c=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header!)) || parts[1] != "r=" + _nonce)
        {
            return SaslStep.Failed(SaslFailure.NotAuthorized);
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(text[(proofStart + 3)..]);
        }
        catch (FormatException)
        {
            return SaslStep.Failed(SaslFailure.MalformedRequest);
        }

        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var clientSignature = ScramCredentials.Hmac(hash, _credential.StoredKey, authMessage);
        if (proof.Length != clientSignature.Length)
        {
            return SaslStep.Failed(SaslFailure.NotAuthorized);
        }

        // ClientKey = ClientProof XOR ClientSignature; it must hash to StoredKey.
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] ^= clientSignature[i];
        }

        var valid = CryptographicOperations.FixedTimeEquals(ScramCredentials.Hash(hash, proof), _credential.StoredKey);
        if (!valid || !_accountExists)
        {
            return SaslStep.Failed(SaslFailure.NotAuthorized);
        }

        var serverSignature = ScramCredentials.Hmac(hash, _credential.ServerKey, authMessage);
        return SaslStep.Succeeded(_username, Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature)));
    }

    /// <summary>
    /// A stable, secret-derived salt for an account that does not exist, so that the server-first
    /// message looks the same for known and unknown usernames; the proof can never match.
    /// </summary>
    private ScramCredential FakeCredential(string username)
    {
        var salt = HMACSHA256.HashData(context.FakeSaltKey, Encoding.UTF8.GetBytes(username)).AsSpan(0, ScramCredentials.SaltBytes).ToArray();
        var length = ScramCredentials.HashLength(hash);
        return new ScramCredential(salt, context.ScramIterations, RandomNumberGenerator.GetBytes(length), RandomNumberGenerator.GetBytes(length));
    }

    private static bool TryDecode(byte[] message, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(message);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>saslname (RFC 5802 §5.1): ',' and '=' travel as "=2C" and "=3D"; any other '=' is malformed.</summary>
    private static bool TryDecodeSaslName(string value, [NotNullWhen(true)] out string? decoded)
    {
        decoded = null;
        if (value.Length == 0)
        {
            return false;
        }

        if (!value.Contains('=', StringComparison.Ordinal))
        {
            decoded = value;
            return true;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '=')
            {
                builder.Append(value[i]);
            }
            else if (string.CompareOrdinal(value, i, "=2C", 0, 3) == 0)
            {
                builder.Append(',');
                i += 2;
            }
            else if (string.CompareOrdinal(value, i, "=3D", 0, 3) == 0)
            {
                builder.Append('=');
                i += 2;
            }
            else
            {
                return false;
            }
        }

        decoded = builder.ToString();
        return true;
    }
}
