namespace Xmpp.Grains.Muc;

/// <summary>Errors the room sends with Prosody's types and texts, where they differ from RFC 6120's defaults.</summary>
internal static class MucErrors
{
    /// <summary>To someone who is not in the room (XEP-0045 §7.4, §7.5; XEP-0410).</summary>
    public static StanzaError NotConnected() =>
        StanzaError.NotAcceptable("You are not currently connected to this chat").WithType(StanzaError.TypeCancel);

    public static StanzaError InvisibleNick() =>
        StanzaError.NotAllowed("Invisible Nicknames are forbidden").WithType(StanzaError.TypeModify);
}
