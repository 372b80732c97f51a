namespace Xmpp.Protocol.Xml;

/// <summary>
/// Bounds on what one peer may make the parser hold; crossing one is a <c>policy-violation</c>
/// stream error (RFC 6120 §4.9.3.14).
/// </summary>
/// <param name="MaxStanzaBytes">
/// Bytes of one top-level element including all its descendants (also of the stream header tag),
/// counted on the wire; it also bounds every name, attribute value and text run inside it.
/// </param>
/// <param name="MaxDepth">Nesting depth of elements inside the stream; a stanza is depth 1.</param>
/// <param name="MaxAttributes">Attributes on one element, namespace declarations included.</param>
public sealed record XmlParserLimits(int MaxStanzaBytes = 262144, int MaxDepth = 64, int MaxAttributes = 64)
{
    public static XmlParserLimits Default { get; } = new();
}
