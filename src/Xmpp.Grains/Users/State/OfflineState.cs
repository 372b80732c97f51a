namespace Xmpp.Grains.Users.State;

/// <summary>Messages stored while no resource could take them (XEP-0160).</summary>
public sealed class OfflineState
{
    public List<OfflineMessage> Messages { get; set; } = [];
}

public sealed class OfflineMessage
{
    public string Xml { get; set; } = string.Empty;

    public DateTimeOffset Stored { get; set; }

    /// <summary>The sender's bare JID, for its share of the store (null in messages stored by older versions).</summary>
    public string? From { get; set; }
}
