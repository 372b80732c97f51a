using System.Globalization;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Archive;

/// <summary>
/// The answer to an archive query (XEP-0313 §4.2): one message per result, each forwarding the
/// archived stanza with its archiving time (XEP-0297, XEP-0203), then the IQ result whose
/// <c>&lt;fin/&gt;</c> carries the XEP-0059 set of the page, as Prosody sends them.
/// </summary>
public static class MamResults
{
    /// <summary>
    /// The result messages, in the order the page is delivered (newest first with flip-page).
    /// <paramref name="from"/> is the archive's JID for a room (null for the requester's own
    /// account); <paramref name="reveal"/> rewrites a stanza for this requester, or drops it (null).
    /// </summary>
    public static List<Element> Messages(MamQuery query, ArchivePage page, string to, string? from, Func<ArchivedStanza, Element?>? reveal = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var messages = new List<Element>(page.Items.Count);
        foreach (var item in Ordered(query, page))
        {
            if ((reveal is null ? XmlText.Parse(item.Xml) : reveal(item)) is not { } stanza)
            {
                continue;
            }

            var message = new Element("message").SetAttribute("to", to).SetAttribute("from", from);
            message.AddChild("result", Namespaces.Mam)
                .SetAttribute("queryid", query.QueryId)
                .SetAttribute("id", ArchiveId.Format(item.Id))
                .AddChild("forwarded", Namespaces.Forward)
                .Add(Delay.Create(from: null, item.Timestamp))
                .Add(stanza);
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>The <c>&lt;fin/&gt;</c> of the IQ result: complete when no page lies beyond this one, and the page's set.</summary>
    public static Element Fin(MamQuery query, ArchivePage page)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var fin = new Element("fin", Namespaces.Mam);
        if (page.Complete)
        {
            fin.SetAttribute("complete", "true");
        }

        var set = fin.AddChild("set", Namespaces.Rsm);
        var ordered = Ordered(query, page).ToList();
        if (ordered.Count > 0)
        {
            // The set names the first and last result as delivered (swapped by flip-page, as Prosody
            // does), without an index, as Prosody: slixmpp's RSM iterator (1.8) takes index +
            // count for the end of the set also when it pages backwards, and stops after one page.
            set.AddTextChild("first", Namespaces.Rsm, ArchiveId.Format(ordered[0].Id));
            set.AddTextChild("last", Namespaces.Rsm, ArchiveId.Format(ordered[^1].Id));
        }

        if (page.Count is { } count)
        {
            set.AddTextChild("count", Namespaces.Rsm, count.ToString(CultureInfo.InvariantCulture));
        }

        return fin;
    }

    /// <summary>The archive's metadata (XEP-0313 §4.3): its first and last message, nothing for an empty one.</summary>
    public static Element Metadata(ArchiveBounds? bounds)
    {
        var metadata = new Element("metadata", Namespaces.Mam);
        if (bounds is not null)
        {
            metadata.AddChild("start", Namespaces.Mam)
                .SetAttribute("id", ArchiveId.Format(bounds.First))
                .SetAttribute("timestamp", Delay.FormatStamp(ArchiveId.ToTime(bounds.First)));
            metadata.AddChild("end", Namespaces.Mam)
                .SetAttribute("id", ArchiveId.Format(bounds.Last))
                .SetAttribute("timestamp", Delay.FormatStamp(ArchiveId.ToTime(bounds.Last)));
        }

        return metadata;
    }

    private static IEnumerable<ArchivedStanza> Ordered(MamQuery query, ArchivePage page) =>
        query.FlipPage ? page.Items.Reverse() : page.Items;
}
