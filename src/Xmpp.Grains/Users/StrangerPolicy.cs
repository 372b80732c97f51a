namespace Xmpp.Grains.Users;

/// <summary>What becomes of a message from a JID outside the recipient's roster (<see cref="XmppOptions.Strangers"/>).</summary>
public enum StrangerPolicy
{
    Allow,
    Drop,
    Refuse,
}
