namespace Xmpp.Grains.Muc;

/// <summary>A long-lived association with a room (XEP-0045 §5.2), ranked as in §5.2.1.</summary>
public enum Affiliation
{
    Outcast = -1,
    None = 0,
    Member = 1,
    Admin = 2,
    Owner = 3,
}
