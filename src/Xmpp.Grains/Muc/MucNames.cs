namespace Xmpp.Grains.Muc;

/// <summary>The XML names of affiliations and roles (XEP-0045 §5).</summary>
public static class MucNames
{
    public static string ToXml(this Affiliation affiliation) => affiliation switch
    {
        Affiliation.Outcast => "outcast",
        Affiliation.Member => "member",
        Affiliation.Admin => "admin",
        Affiliation.Owner => "owner",
        _ => "none",
    };

    public static string ToXml(this Role role) => role switch
    {
        Role.Visitor => "visitor",
        Role.Participant => "participant",
        Role.Moderator => "moderator",
        _ => "none",
    };

    public static bool TryParseAffiliation(string? text, out Affiliation affiliation)
    {
        affiliation = text switch
        {
            "outcast" => Affiliation.Outcast,
            "none" => Affiliation.None,
            "member" => Affiliation.Member,
            "admin" => Affiliation.Admin,
            "owner" => Affiliation.Owner,
            _ => (Affiliation)int.MinValue,
        };
        return affiliation != (Affiliation)int.MinValue;
    }

    public static bool TryParseRole(string? text, out Role role)
    {
        role = text switch
        {
            "none" => Role.None,
            "visitor" => Role.Visitor,
            "participant" => Role.Participant,
            "moderator" => Role.Moderator,
            _ => (Role)int.MinValue,
        };
        return role != (Role)int.MinValue;
    }
}
