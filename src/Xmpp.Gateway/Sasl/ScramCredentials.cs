using System.Security.Cryptography;
using System.Text;
using Xmpp.Storage;

namespace Xmpp.Gateway.Sasl;

/// <summary>
/// SCRAM key derivation (RFC 5802 §3, RFC 7677), the one place the math lives: login (SCRAM and
/// PLAIN), open registration and the admin CLI all use it.
/// <code>
/// SaltedPassword = Hi(SASLprep(password), salt, i)      (PBKDF2 with HMAC-H)
/// ClientKey      = HMAC(SaltedPassword, "Client Key")    StoredKey = H(ClientKey)
/// ServerKey      = HMAC(SaltedPassword, "Server Key")
/// </code>
/// </summary>
public static class ScramCredentials
{
    /// <summary>RFC 7677 §4 asks for at least 4096; Prosody and ejabberd default to more.</summary>
    public const int DefaultIterations = 10_000;

    public const int SaltBytes = 16;

    private static readonly byte[] ClientKeyLabel = "Client Key"u8.ToArray();
    private static readonly byte[] ServerKeyLabel = "Server Key"u8.ToArray();

    /// <summary>The server-side secrets for a password. Throws <see cref="ArgumentException"/> when SASLprep refuses it.</summary>
    public static ScramCredential Derive(string password, byte[] salt, int iterations, HashAlgorithmName hash)
    {
        var salted = SaltedPassword(password, salt, iterations, hash);
        try
        {
            var clientKey = Hmac(hash, salted, ClientKeyLabel);
            return new ScramCredential(salt, iterations, Hash(hash, clientKey), Hmac(hash, salted, ServerKeyLabel));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salted);
        }
    }

    /// <summary>A new account with fresh salts for SCRAM-SHA-1 and SCRAM-SHA-256.</summary>
    /// <exception cref="ArgumentException">The username is not a valid localpart or the password is refused by SASLprep.</exception>
    public static Account CreateAccount(string username, string password, int iterations = DefaultIterations)
    {
        if (!Jid.TryPrepareLocalpart(username, out var localpart, out var reason))
        {
            throw new ArgumentException($"'{username}' is not a valid username: {reason}", nameof(username));
        }

        if (password.Length == 0)
        {
            throw new ArgumentException("The password is empty.", nameof(password));
        }

        iterations = Math.Max(iterations, 4096);
        return new Account(
            localpart,
            Derive(password, RandomNumberGenerator.GetBytes(SaltBytes), iterations, HashAlgorithmName.SHA1),
            Derive(password, RandomNumberGenerator.GetBytes(SaltBytes), iterations, HashAlgorithmName.SHA256));
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches the stored credential: its StoredKey is derived
    /// again with the stored salt and iterations and compared in constant time (used for PLAIN).
    /// </summary>
    public static bool Verify(ScramCredential credential, string password, HashAlgorithmName hash)
    {
        if (!SaslPrep.TryPrepare(password, out _))
        {
            return false;
        }

        var derived = Derive(password, credential.Salt, credential.Iterations, hash);
        return CryptographicOperations.FixedTimeEquals(derived.StoredKey, credential.StoredKey);
    }

    /// <summary>Hi() of RFC 5802 §2.2, which is PBKDF2 with HMAC-H and dkLen = the hash length.</summary>
    internal static byte[] SaltedPassword(string password, byte[] salt, int iterations, HashAlgorithmName hash)
    {
        if (!SaslPrep.TryPrepare(password, out var prepared))
        {
            throw new ArgumentException("The password contains characters SASLprep prohibits.", nameof(password));
        }

        return Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(prepared), salt, iterations, hash, HashLength(hash));
    }

    // SCRAM-SHA-1 is mandatory-to-implement for XMPP (RFC 6120 §13.8.3) and many clients still use
    // it; HMAC-SHA-1 is not the weak part of SHA-1.
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SCRAM-SHA-1, RFC 6120 §13.8.3")]
    internal static byte[] Hmac(HashAlgorithmName hash, byte[] key, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data)
        : hash == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data)
        : throw new ArgumentOutOfRangeException(nameof(hash), hash, "SCRAM-SHA-1 and SCRAM-SHA-256 only");

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SCRAM-SHA-1, RFC 6120 §13.8.3")]
    internal static byte[] Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data)
        : hash == HashAlgorithmName.SHA1 ? SHA1.HashData(data)
        : throw new ArgumentOutOfRangeException(nameof(hash), hash, "SCRAM-SHA-1 and SCRAM-SHA-256 only");

    internal static int HashLength(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA1 ? 20 : 32;
}
