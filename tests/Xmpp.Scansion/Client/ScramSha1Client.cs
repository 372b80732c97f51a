using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Xmpp.Scansion.Client;

/// <summary>
/// The client side of SCRAM-SHA-1 (RFC 5802) without channel binding (gs2 header <c>n,,</c>):
/// client-first, then client-final with the proof, then the server signature is verified, so a
/// server that does not know the password cannot pass itself off as one that does.
/// </summary>
[SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SCRAM-SHA-1 is the mechanism SCANSION.md prescribes (RFC 5802 defines it on SHA-1); it proves the runner interoperates, not that the hash is strong.")]
public sealed class ScramSha1Client
{
    private const string Gs2Header = "n,,";

    private readonly string _username;
    private readonly string _password;
    private readonly string _clientNonce;
    private byte[]? _expectedServerSignature;

    public ScramSha1Client(string username, string password, string? clientNonce = null)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        _username = username;
        _password = password;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    }

    private string ClientFirstBare => $"n={EscapeName(_username)},r={_clientNonce}";

    /// <summary>The initial response: <c>n,,n=user,r=nonce</c>.</summary>
    public string ClientFirst() => Gs2Header + ClientFirstBare;

    /// <summary>The answer to the server-first message: <c>c=biws,r=…,p=proof</c>.</summary>
    public string ClientFinal(string serverFirst)
    {
        ArgumentNullException.ThrowIfNull(serverFirst);
        var fields = ParseFields(serverFirst);
        if (fields.ContainsKey('m'))
        {
            throw new AuthenticationFailedException("SCRAM: the server asks for an extension this client does not support");
        }

        if (!fields.TryGetValue('r', out var nonce) || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw new AuthenticationFailedException("SCRAM: the server nonce does not extend the client nonce");
        }

        if (!fields.TryGetValue('s', out var salt64) || !fields.TryGetValue('i', out var iterationText)
            || !int.TryParse(iterationText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            throw new AuthenticationFailedException("SCRAM: the server-first message lacks a salt or an iteration count");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(salt64);
        }
        catch (FormatException e)
        {
            throw new AuthenticationFailedException("SCRAM: the salt is not base64", e);
        }

        var channelBinding = Convert.ToBase64String(Encoding.UTF8.GetBytes(Gs2Header));
        var withoutProof = $"c={channelBinding},r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{ClientFirstBare},{serverFirst},{withoutProof}");

        // The password is used as given (the scripts' passwords are ASCII, where SASLprep changes nothing).
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), salt, iterations, HashAlgorithmName.SHA1, 20);
        var clientKey = HMACSHA1.HashData(saltedPassword, "Client Key"u8);
        var storedKey = SHA1.HashData(clientKey);
        var clientSignature = HMACSHA1.HashData(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        var serverKey = HMACSHA1.HashData(saltedPassword, "Server Key"u8);
        _expectedServerSignature = HMACSHA1.HashData(serverKey, authMessage);
        return $"{withoutProof},p={Convert.ToBase64String(proof)}";
    }

    /// <summary>Checks the server-final message (<c>v=signature</c>) that comes with SASL success.</summary>
    public void VerifyServerFinal(string serverFinal)
    {
        ArgumentNullException.ThrowIfNull(serverFinal);
        if (_expectedServerSignature is null)
        {
            throw new InvalidOperationException("ClientFinal must come first");
        }

        var fields = ParseFields(serverFinal);
        if (fields.TryGetValue('e', out var error))
        {
            throw new AuthenticationFailedException($"SCRAM: the server reports '{error}'");
        }

        if (!fields.TryGetValue('v', out var verifier))
        {
            throw new AuthenticationFailedException("SCRAM: the server-final message has no signature");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(verifier);
        }
        catch (FormatException e)
        {
            throw new AuthenticationFailedException("SCRAM: the server signature is not base64", e);
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new AuthenticationFailedException("SCRAM: the server signature is wrong; the server does not know the password");
        }
    }

    // RFC 5802 §5.1: ',' and '=' in the user name are escaped.
    private static string EscapeName(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    private static Dictionary<char, string> ParseFields(string message)
    {
        var fields = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                fields.TryAdd(part[0], part[2..]);
            }
        }

        return fields;
    }
}
