using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Xmpp.Grains.PubSub;

/// <summary>
/// Entity capabilities (XEP-0115) as PEP needs them: the caps element of a presence, the disco#info
/// query that asks a client for its features, the check of a reply against its hash (§5.1, §5.4),
/// and which nodes the client wants notifications of (<c>node+notify</c>, XEP-0163 §4.3.2).
/// </summary>
public sealed record EntityCaps(string Node, string Ver, string? Hash)
{
    /// <summary>The caps of a presence, or null without (or with an incomplete) caps element.</summary>
    public static EntityCaps? Of(Element presence)
    {
        var c = presence.Child("c", Namespaces.Caps);
        var node = c?.GetAttribute("node");
        var ver = c?.GetAttribute("ver");
        return string.IsNullOrEmpty(node) || string.IsNullOrEmpty(ver) ? null : new EntityCaps(node, ver, c!.GetAttribute("hash"));
    }

    /// <summary>The disco#info node the client answers for (§6.2): node#ver.</summary>
    public string QueryNode => Node + "#" + Ver;

    /// <summary>What caches hold the features under: the hash alone identifies them; legacy caps (no hash) are per node.</summary>
    public string CacheKey => Hash is null ? QueryNode : Hash + " " + Ver;

    /// <summary>The request for the client's features (Prosody's mod_pep sends it with id "disco", from the account).</summary>
    public Element Query(string from, string to)
    {
        var iq = new Element(Stanza.Iq) { Id = DiscoQueryId, Type = "get", From = from, To = to };
        iq.AddChild("query", Namespaces.DiscoInfo).SetAttribute("node", QueryNode);
        return iq;
    }

    public const string DiscoQueryId = "disco";

    /// <summary>Whether the disco#info result's verification string hashes to <see cref="Ver"/> (§5.4).</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "XEP-0115 names SHA-1 for caps hashes; it identifies, it does not protect")]
    public bool Verifies(Element query)
    {
        var algorithm = Hash switch
        {
            "sha-1" => HashAlgorithmName.SHA1,
            "sha-256" => HashAlgorithmName.SHA256,
            "sha-512" => HashAlgorithmName.SHA512,
            _ => (HashAlgorithmName?)null,
        };
        if (algorithm is null)
        {
            return false;
        }

        var input = Encoding.UTF8.GetBytes(VerificationString(query));
        var digest = algorithm.Value == HashAlgorithmName.SHA1 ? SHA1.HashData(input)
            : algorithm.Value == HashAlgorithmName.SHA256 ? SHA256.HashData(input)
            : SHA512.HashData(input);
        return Convert.ToBase64String(digest) == Ver;
    }

    /// <summary>The nodes whose notifications the features ask for (XEP-0163 §4.3.2).</summary>
    public static IReadOnlySet<string> NotifyNodes(Element query)
    {
        const string suffix = "+notify";
        return query.Elements("feature", Namespaces.DiscoInfo)
            .Select(f => f.GetAttribute("var"))
            .Where(v => v is not null && v.EndsWith(suffix, StringComparison.Ordinal) && v.Length > suffix.Length)
            .Select(v => v![..^suffix.Length])
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>XEP-0115 §5.1: identities, features and extended forms, each sorted, each followed by '&lt;'.</summary>
    public static string VerificationString(Element query)
    {
        var text = new StringBuilder();
        var identities = query.Elements("identity", Namespaces.DiscoInfo)
            .Select(i => $"{i.GetAttribute("category")}/{i.GetAttribute("type")}/{i.GetAttribute("lang", Namespaces.Xml)}/{i.GetAttribute("name")}")
            .Order(StringComparer.Ordinal);
        foreach (var identity in identities)
        {
            text.Append(identity).Append('<');
        }

        foreach (var feature in query.Elements("feature", Namespaces.DiscoInfo).Select(f => f.GetAttribute("var") ?? string.Empty).Order(StringComparer.Ordinal))
        {
            text.Append(feature).Append('<');
        }

        var forms = query.Elements("x", Namespaces.DataForms)
            .Select(x => (FormType: FormTypeOf(x), Form: x))
            .Where(f => f.FormType is not null)
            .OrderBy(f => f.FormType, StringComparer.Ordinal);
        foreach (var (formType, form) in forms)
        {
            text.Append(formType).Append('<');
            var fields = form.Elements("field", Namespaces.DataForms)
                .Where(f => f.GetAttribute("var") != "FORM_TYPE")
                .OrderBy(f => f.GetAttribute("var"), StringComparer.Ordinal);
            foreach (var field in fields)
            {
                text.Append(field.GetAttribute("var")).Append('<');
                foreach (var value in field.Elements("value", Namespaces.DataForms).Select(v => v.Text ?? string.Empty).Order(StringComparer.Ordinal))
                {
                    text.Append(value).Append('<');
                }
            }
        }

        return text.ToString();
    }

    private static string? FormTypeOf(Element form) =>
        form.Elements("field", Namespaces.DataForms).FirstOrDefault(f => f.GetAttribute("var") == "FORM_TYPE")?.ChildText("value", Namespaces.DataForms);
}
