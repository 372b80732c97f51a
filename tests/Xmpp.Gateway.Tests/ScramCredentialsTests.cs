using System.Security.Cryptography;
using System.Text;
using Xmpp.Gateway.Sasl;

namespace Xmpp.Gateway.Tests;

/// <summary>The SCRAM math against the published test vectors (RFC 5802 §5, RFC 7677 §3).</summary>
public sealed class ScramCredentialsTests
{
    [Fact]
    public void Sha256_vector_of_rfc_7677()
    {
        var credential = ScramCredentials.Derive("pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096, HashAlgorithmName.SHA256);
        const string authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

        var serverSignature = HMACSHA256.HashData(credential.ServerKey, Encoding.UTF8.GetBytes(authMessage));
        Assert.Equal("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Convert.ToBase64String(serverSignature));

        // ClientProof of the RFC, turned back into ClientKey, must hash to StoredKey.
        var proof = Convert.FromBase64String("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        var clientSignature = HMACSHA256.HashData(credential.StoredKey, Encoding.UTF8.GetBytes(authMessage));
        var clientKey = proof.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
        Assert.Equal(credential.StoredKey, SHA256.HashData(clientKey));
    }

    [Fact]
    public void Sha1_vector_of_rfc_5802()
    {
        var credential = ScramCredentials.Derive("pencil", Convert.FromBase64String("QSXCR+Q6sek8bf92"), 4096, HashAlgorithmName.SHA1);
        const string authMessage = "n=user,r=fyko+d2lbbFgONRv9qkxdawL,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096,c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j";
#pragma warning disable CA5350 // the RFC's vector is SHA-1
        var serverSignature = HMACSHA1.HashData(credential.ServerKey, Encoding.UTF8.GetBytes(authMessage));
#pragma warning restore CA5350
        Assert.Equal("rmF9pqV8S7suAoZWja4dJRkFsKQ=", Convert.ToBase64String(serverSignature));
    }

    [Fact]
    public void Created_account_verifies_its_password_only()
    {
        var account = ScramCredentials.CreateAccount("Alice", "correct horse", 4096);
        Assert.Equal("alice", account.Username);
        Assert.True(ScramCredentials.Verify(account.Sha256, "correct horse", HashAlgorithmName.SHA256));
        Assert.True(ScramCredentials.Verify(account.Sha1, "correct horse", HashAlgorithmName.SHA1));
        Assert.False(ScramCredentials.Verify(account.Sha256, "correct horsE", HashAlgorithmName.SHA256));
        Assert.NotEqual(account.Sha1.Salt, account.Sha256.Salt);
    }

    [Fact]
    public void Invalid_usernames_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ScramCredentials.CreateAccount("a@b", "pw"));
        Assert.Throws<ArgumentException>(() => ScramCredentials.CreateAccount("alice", ""));
    }
}
