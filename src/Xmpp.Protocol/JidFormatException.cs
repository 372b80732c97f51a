namespace Xmpp.Protocol;

/// <summary>An address that RFC 7622 does not allow; answered with <c>jid-malformed</c>.</summary>
public sealed class JidFormatException(string text, string reason)
    : FormatException($"'{text}' is not a valid JID: {reason}")
{
    public string Text { get; } = text;

    public string Reason { get; } = reason;
}
