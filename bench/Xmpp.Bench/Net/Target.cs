using System.Net;

namespace Xmpp.Bench.Net;

/// <summary>The server under test and the accounts to use on it.</summary>
/// <param name="Endpoint">Where to connect (loopback only).</param>
/// <param name="Domain">The XMPP domain.</param>
/// <param name="UserPrefix">Accounts are prefix1, prefix2, …</param>
/// <param name="Password">The password of every account.</param>
/// <param name="Mechanism">SASL mechanisms in order of preference, comma-separated.</param>
/// <param name="MucDomain">The MUC service.</param>
internal sealed record Target(IPEndPoint Endpoint, string Domain, string UserPrefix, string Password, string Mechanism, string MucDomain)
{
    public string User(int index) => UserPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
