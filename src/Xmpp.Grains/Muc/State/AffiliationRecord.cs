namespace Xmpp.Grains.Muc.State;

/// <summary>A user's (or a whole domain's) affiliation with a room and what comes with it.</summary>
public sealed class AffiliationRecord
{
    public Affiliation Affiliation { get; set; }

    /// <summary>The reserved nickname (XEP-0045 §7.10, §9.3), if any.</summary>
    public string? Nick { get; set; }

    /// <summary>Why the user was banned (XEP-0045 §9.1), returned in the ban list.</summary>
    public string? Reason { get; set; }
}
