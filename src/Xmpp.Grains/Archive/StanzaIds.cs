using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Archive;

/// <summary>
/// XEP-0359 stanza ids: an archive stamps the copy it delivers with the id it archived it under,
/// and removes any stanza-id claiming to be its own that arrived with the stanza (§3: a sender must
/// not be able to forge the archive's ids). A client's origin-id stays as it is.
/// </summary>
public static class StanzaIds
{
    /// <summary>
    /// A copy of <paramref name="stanza"/> without stanza-ids claimed by <paramref name="by"/> and,
    /// when <paramref name="id"/> is given, with this archive's own. The children are shared with
    /// the original, which is left untouched (it may be another grain's too).
    /// </summary>
    public static Element Restamp(Element stanza, string by, long? id)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        if (id is null && !HasForged(stanza, by))
        {
            return stanza;
        }

        var copy = stanza.CloneWithoutNodes();
        foreach (var node in stanza.Nodes)
        {
            if (node is not Element { Name: "stanza-id", Namespace: Namespaces.StanzaId } claimed || claimed.GetAttribute("by") != by)
            {
                copy.Add(node);
            }
        }

        if (id is { } own)
        {
            copy.Add(Create(by, own));
        }

        return copy;
    }

    /// <summary>Whether the stanza carries a stanza-id claiming to be by <paramref name="by"/> (no allocation: every message is checked).</summary>
    private static bool HasForged(Element stanza, string by)
    {
        var nodes = stanza.Nodes;
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is Element { Name: "stanza-id", Namespace: Namespaces.StanzaId } claimed && claimed.GetAttribute("by") == by)
            {
                return true;
            }
        }

        return false;
    }

    public static Element Create(string by, long id) =>
        new Element("stanza-id", Namespaces.StanzaId).SetAttribute("by", by).SetAttribute("id", ArchiveId.Format(id));
}
