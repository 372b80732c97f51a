namespace Xmpp.Grains.Muc;

/// <summary>A temporary position of an occupant in a room (XEP-0045 §5.1), ranked.</summary>
public enum Role
{
    None = 0,
    Visitor = 1,
    Participant = 2,
    Moderator = 3,
}
