using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Xmpp.Bench.Net;

#pragma warning disable CA5350 // SCRAM-SHA-1 is a mechanism every server under test offers; not a choice of ours.

/// <summary>
/// The client side of SCRAM-SHA-1 / SCRAM-SHA-256 (RFC 5802, RFC 7677), without channel binding.
/// The salted password is cached per (password, salt, iterations), as RFC 5802 §5.1 allows and
/// real clients do: the server's cost of a SCRAM login is then what the benchmark measures, not
/// the client's PBKDF2.
/// </summary>
internal sealed class ScramClient(string mechanism, string user, string password)
{
    private static readonly ConcurrentDictionary<string, byte[]> SaltedPasswords = new(StringComparer.Ordinal);

    private readonly HashAlgorithmName _hash = mechanism == "SCRAM-SHA-256" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
    private string _clientFirstBare = string.Empty;
    private string _nonce = string.Empty;
    private byte[] _serverSignature = [];

    public string ClientFirst()
    {
        _nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _clientFirstBare = "n=" + user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal) + ",r=" + _nonce;
        return Convert.ToBase64String(Encoding.UTF8.GetBytes("n,," + _clientFirstBare));
    }

    public string ClientFinal(string challengeBase64)
    {
        var serverFirst = Encoding.UTF8.GetString(Convert.FromBase64String(challengeBase64));
        string? nonce = null, salt = null;
        var iterations = 0;
        foreach (var part in serverFirst.Split(','))
        {
            if (part.StartsWith("r=", StringComparison.Ordinal))
            {
                nonce = part[2..];
            }
            else if (part.StartsWith("s=", StringComparison.Ordinal))
            {
                salt = part[2..];
            }
            else if (part.StartsWith("i=", StringComparison.Ordinal))
            {
                iterations = int.Parse(part[2..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (nonce is null || salt is null || iterations <= 0 || !nonce.StartsWith(_nonce, StringComparison.Ordinal))
        {
            throw new BenchProtocolException("bad SCRAM server-first: " + serverFirst);
        }

        var length = _hash == HashAlgorithmName.SHA256 ? 32 : 20;
        var salted = SaltedPasswords.GetOrAdd(
            $"{_hash.Name}|{password}|{salt}|{iterations}",
            _ => Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(salt), iterations, _hash, length));
        var clientKey = Hmac(salted, "Client Key"u8);
        var storedKey = _hash == HashAlgorithmName.SHA256 ? SHA256.HashData(clientKey) : SHA1.HashData(clientKey);
        var withoutProof = "c=biws,r=" + nonce;
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);
        var signature = Hmac(storedKey, authMessage);
        for (var i = 0; i < clientKey.Length; i++)
        {
            clientKey[i] ^= signature[i];
        }

        _serverSignature = Hmac(Hmac(salted, "Server Key"u8), authMessage);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(clientKey)));
    }

    public bool VerifyServerFinal(string successBase64)
    {
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(successBase64));
        return text == "v=" + Convert.ToBase64String(_serverSignature);
    }

    private byte[] Hmac(byte[] key, ReadOnlySpan<byte> data) =>
        _hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);
}
