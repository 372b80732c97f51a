namespace Xmpp.Grains;

/// <summary>
/// XEP-0280 carbons as a client gets them, <c>&lt;message&gt;&lt;sent|received xmlns='urn:xmpp:carbons:2'&gt;&lt;forwarded
/// xmlns='urn:xmpp:forward:0'&gt;&lt;message/&gt;</c> (§7, §8): for rules that judge the copied message.
/// </summary>
public static class Carbons
{
    /// <summary>The message a <c>&lt;received/&gt;</c> carbon copies (one the account got); null when <paramref name="stanza"/> is none.</summary>
    public static Element? UnwrapReceived(Element stanza) =>
        stanza.Child("received", Namespaces.Carbons)?.Child("forwarded", Namespaces.Forward)?.Child("message", Namespaces.Client);

    /// <summary>Whether <paramref name="stanza"/> is a <c>&lt;sent/&gt;</c> carbon: a copy of what another resource of the account sent.</summary>
    public static bool IsSent(Element stanza) => stanza.Child("sent", Namespaces.Carbons) is not null;
}
