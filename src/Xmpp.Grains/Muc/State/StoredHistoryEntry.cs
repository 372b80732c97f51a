namespace Xmpp.Grains.Muc.State;

/// <summary>One history message as XML (with its XEP-0203 delay) and when the room received it.</summary>
public sealed class StoredHistoryEntry
{
    public string Xml { get; set; } = string.Empty;

    public DateTimeOffset Time { get; set; }
}
