using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Xmpp.Gateway.StreamManagement;

/// <summary>
/// SM-IDs (XEP-0198 §5): 128 random bits, then the session's full JID, both base64url. The JID
/// says which account's grain knows the session (a resumption may arrive at any server of the
/// cluster, and there is no registry beside the grains) and lets a resumption by another account be
/// told apart from an unknown id; the random part is what proves the id was handed out: the
/// hibernating session compares it with its own before it hands itself over (XEP-0198 §9).
/// </summary>
internal static class ResumptionId
{
    private const int NonceBytes = 16;
    private const char Separator = '.';

    public static string Create(Jid fullJid) =>
        Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(NonceBytes)) + Separator + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(fullJid.ToString()));

    /// <summary>The full JID an id was made for; false when it is not one of ours.</summary>
    public static bool TryParse(string? id, [NotNullWhen(true)] out Jid? fullJid)
    {
        fullJid = null;
        var separator = id?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (separator < 0)
        {
            return false;
        }

        try
        {
            var jid = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(id.AsSpan(separator + 1)));
            return Jid.TryParse(jid, out fullJid) && fullJid.IsFull;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="presented"/> is <paramref name="issued"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(string issued, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(issued), Encoding.UTF8.GetBytes(presented));
}
