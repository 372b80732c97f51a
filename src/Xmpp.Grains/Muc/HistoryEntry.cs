namespace Xmpp.Grains.Muc;

/// <summary>
/// One message of the discussion history (XEP-0045 §7.2.15): the groupchat stanza as broadcast,
/// without 'to', with the room's XEP-0203 delay; never changed once stored.
/// </summary>
internal sealed class HistoryEntry(Element stanza, DateTimeOffset time)
{
    public Element Stanza { get; } = stanza;

    public DateTimeOffset Time { get; } = time;

    /// <summary>Its size as XML, for maxchars (computed on first use).</summary>
    public int? Characters { get; set; }
}
