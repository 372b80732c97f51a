namespace Xmpp.Grains.Users.State;

/// <summary>The subscription states of a roster item (RFC 6121 §2.1.2.5), as written on the wire.</summary>
public static class Subscription
{
    public const string None = "none";
    public const string To = "to";
    public const string From = "from";
    public const string Both = "both";
    public const string Remove = "remove";

    /// <summary>The contact receives the user's presence.</summary>
    public static bool HasFrom(string subscription) => subscription is From or Both;

    /// <summary>The user receives the contact's presence.</summary>
    public static bool HasTo(string subscription) => subscription is To or Both;
}
