using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Xmpp.Grains.Server;

/// <summary>
/// Time-limited TURN credentials from a secret shared with the TURN server (draft-uberti-behave-turn-rest-00
/// §2.2, what coturn's use-auth-secret checks): the user name is the expiry as a Unix time, with
/// ":" and a user after it when there is one; the password is base64(HMAC-SHA1(secret, user name)).
/// </summary>
public static class TurnRestCredentials
{
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "The TURN REST scheme and the TURN servers that check it name HMAC-SHA1")]
    public static (string Username, string Password) Create(string secret, DateTimeOffset expires, string? user)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var time = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var username = user is null ? time : time + ":" + user;
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username));
        return (username, Convert.ToBase64String(mac));
    }
}
