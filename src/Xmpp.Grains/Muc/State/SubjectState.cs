namespace Xmpp.Grains.Muc.State;

/// <summary>The room subject (XEP-0045 §8.1): the text, who set it (an occupant JID or the room) and when.</summary>
public sealed class SubjectState
{
    public string Text { get; set; } = string.Empty;

    public string From { get; set; } = string.Empty;

    public DateTimeOffset Time { get; set; }
}
