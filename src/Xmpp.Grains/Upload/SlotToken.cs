using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Xmpp.Grains.Upload;

/// <summary>
/// The bearer token of a slot's PUT (in its <c>Authorization</c> header, as Prosody's JWT):
/// the slot's claims and an HMAC-SHA256 over them under the upload secret, <c>CLAIMS.MAC</c> in
/// base64url. Whichever process of a cluster receives the upload checks it with the shared secret,
/// without having seen the slot being issued.
/// </summary>
public static class SlotToken
{
    /// <summary>How long a slot's PUT may start after the slot was issued (Prosody's token lifetime).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static string Sign(SlotClaims claims, byte[] key)
    {
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        return payload + "." + Base64Url.EncodeToString(Mac(payload, key));
    }

    /// <summary>The claims of a token signed with <paramref name="key"/>; null for anything else.</summary>
    public static SlotClaims? Verify(string token, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !Base64Url.IsValid(token.AsSpan(dot + 1)))
        {
            return null;
        }

        var payload = token[..dot];
        if (!CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(token.AsSpan(dot + 1)), Mac(payload, key)))
        {
            return null;
        }

        return JsonSerializer.Deserialize<SlotClaims>(Base64Url.DecodeFromChars(payload));
    }

    private static byte[] Mac(string payload, byte[] key) => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(payload));
}
