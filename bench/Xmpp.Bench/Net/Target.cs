using System.Net;

namespace Xmpp.Bench.Net;

/// <summary>The server under test and the accounts to use on it.</summary>
/// <param name="Endpoints">Where to connect (loopback only): user i to endpoint i modulo their count, so with two server processes every chat pair and every room spans both.</param>
/// <param name="Domain">The XMPP domain.</param>
/// <param name="UserPrefix">Accounts are prefix1, prefix2, …</param>
/// <param name="Password">The password of every account.</param>
/// <param name="Mechanism">SASL mechanisms in order of preference, comma-separated.</param>
/// <param name="MucDomain">The MUC service.</param>
internal sealed record Target(IReadOnlyList<IPEndPoint> Endpoints, string Domain, string UserPrefix, string Password, string Mechanism, string MucDomain)
{
    public string User(int index) => UserPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public IPEndPoint EndpointOf(int user) => Endpoints[user % Endpoints.Count];
}
