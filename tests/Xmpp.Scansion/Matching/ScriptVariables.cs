using System.Text.RegularExpressions;
using Xmpp.Protocol.Xml;

namespace Xmpp.Scansion.Matching;

/// <summary>
/// The values <c>${…}</c> stands for while a script runs (SCANSION.md "Variables"):
/// <c>${Name's full JID}</c> is the full JID bound for client Name, <c>${Name's JID}</c> its bare
/// JID (the name itself may contain <c>'s</c>: <c>${Juliet's phone's full JID}</c>).
/// Values recorded by <c>{scansion:capture:NAME}</c> are kept here too and, as <c>${NAME}</c>,
/// can be used by later actions.
/// </summary>
public sealed partial class ScriptVariables
{
    private const string FullJidSuffix = "'s full JID";
    private const string BareJidSuffix = "'s JID";

    private readonly Dictionary<string, string> _fullJids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _bareJids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _captures = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Captures => _captures;

    /// <summary>The bare JID a client is known by before it connects (from its definition).</summary>
    public void SetBareJid(string client, string bareJid) => _bareJids[client] = bareJid;

    /// <summary>Records the JID the server bound for a client.</summary>
    public void SetBoundJid(string client, string fullJid)
    {
        _fullJids[client] = fullJid;
        var slash = fullJid.IndexOf('/', StringComparison.Ordinal);
        _bareJids[client] = slash < 0 ? fullJid : fullJid[..slash];
    }

    public void Capture(string name, string value) => _captures[name] = value;

    public void CaptureAll(IReadOnlyDictionary<string, string> captures)
    {
        foreach (var (name, value) in captures)
        {
            _captures[name] = value;
        }
    }

    /// <summary>Substitutes every <c>${…}</c> in <paramref name="text"/>; throws on one it does not know.</summary>
    public string Substitute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }

        return VariablePattern().Replace(text, m => Resolve(m.Groups[1].Value));
    }

    /// <summary>A copy of a template stanza with variables substituted in attribute values and text.</summary>
    public Element Substitute(Element template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var copy = new Element(template.Name, template.Namespace);
        foreach (var attribute in template.Attributes)
        {
            copy.SetAttribute(attribute.Name, Substitute(attribute.Value), attribute.Namespace);
        }

        foreach (var node in template.Nodes)
        {
            copy.Add(node switch
            {
                Element child => Substitute(child),
                TextNode text => new TextNode(Substitute(text.Value)),
                _ => node.Clone(),
            });
        }

        return copy;
    }

    private string Resolve(string variable)
    {
        if (variable.EndsWith(FullJidSuffix, StringComparison.Ordinal))
        {
            var client = variable[..^FullJidSuffix.Length];
            if (_fullJids.TryGetValue(client, out var full))
            {
                return full;
            }

            if (_bareJids.ContainsKey(client))
            {
                throw new ScansionVariableException($"${{{variable}}}: {client} has no bound JID yet (it has not connected)");
            }
        }
        else if (variable.EndsWith(BareJidSuffix, StringComparison.Ordinal))
        {
            var client = variable[..^BareJidSuffix.Length];
            if (_bareJids.TryGetValue(client, out var bare))
            {
                return bare;
            }
        }

        if (_captures.TryGetValue(variable, out var captured))
        {
            return captured;
        }

        throw new ScansionVariableException($"${{{variable}}}: no such client JID or captured value");
    }

    [GeneratedRegex(@"\$\{([^}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex VariablePattern();
}
