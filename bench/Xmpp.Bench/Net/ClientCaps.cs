using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Xmpp.Bench.Net;

/// <summary>
/// The entity capabilities (XEP-0115) every PEP contact of the generator announces: one client
/// identity and a feature list that asks for notifications of one PEP node (<c>node+notify</c>,
/// XEP-0163 §4.3.2). The <c>ver</c> is the real SHA-1 hash of §5.1, because ours and ejabberd
/// check it (§5.4) and Prosody files the answer under the hash it computes itself: a wrong one
/// would leave every contact unasked-for, or asked at every presence.
/// </summary>
internal sealed class ClientCaps
{
    public const string Node = "https://xmpp-bench.invalid/caps";

    private const string Category = "client";
    private const string Type = "pc";
    private const string Name = "xmpp-bench";

    private readonly string[] _features;

    /// <param name="notifyNode">The PEP node whose events the client wants.</param>
    public ClientCaps(string notifyNode)
    {
        // Sorted once (ordinal, as §5.1 orders them by i;octet): the verification string and the
        // disco#info answer list them in the same order.
        _features =
        [
            .. new[] { "http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info", notifyNode, notifyNode + "+notify" }
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal),
        ];
        Ver = Hash($"{Category}/{Type}//{Name}<", _features);
    }

    public string Ver { get; }

    /// <summary>The disco#info node a server asks about (§6.2).</summary>
    public string QueryNode => Node + "#" + Ver;

    /// <summary>Available presence carrying the caps element.</summary>
    public string Presence => $"<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='{Node}' ver='{Ver}'/></presence>";

    /// <summary>XEP-0115 §5.1 over one identity string (already ending in '&lt;') and the sorted features.</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "XEP-0115 names SHA-1 for caps hashes; it identifies, it does not protect")]
    public static string Hash(string identities, IEnumerable<string> sortedFeatures)
    {
        var text = new StringBuilder(identities);
        foreach (var feature in sortedFeatures)
        {
            text.Append(feature).Append('<');
        }

        return Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The answer to a server's disco#info query (<paramref name="query"/>, the whole iq). A query
    /// for another node (or none) gets the same features: the client has one set.
    /// </summary>
    public string DiscoResult(string query)
    {
        var text = new StringBuilder("<iq type='result'");
        if (XmlScan.Attribute(query, "from") is { } from)
        {
            text.Append(" to='").Append(from).Append('\'');
        }

        text.Append(" id='").Append(XmlScan.Attribute(query, "id")).Append("'><query xmlns='http://jabber.org/protocol/disco#info'");
        var payload = query.IndexOf("<query", StringComparison.Ordinal);
        if (payload >= 0 && XmlScan.Attribute(query[payload..], "node") is { } node)
        {
            text.Append(" node='").Append(node).Append('\'');
        }

        text.Append($"><identity category='{Category}' type='{Type}' name='{Name}'/>");
        foreach (var feature in _features)
        {
            text.Append("<feature var='").Append(feature).Append("'/>");
        }

        return text.Append("</query></iq>").ToString();
    }
}
