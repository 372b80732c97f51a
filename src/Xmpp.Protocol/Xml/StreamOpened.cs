namespace Xmpp.Protocol.Xml;

/// <summary>
/// The stream header (RFC 6120 §4.7): the <c>&lt;stream:stream&gt;</c> start tag as an element
/// named <c>stream</c> in <see cref="Namespaces.Stream"/>, with its attributes (<c>xml:lang</c> is
/// (<c>lang</c>, <see cref="Namespaces.Xml"/>)).
/// </summary>
public sealed record StreamOpened(Element Header) : StreamEvent
{
    /// <summary>
    /// The default namespace the header declared (<c>xmlns='…'</c>), or the empty string when it
    /// declared none: the content namespace of the stream, which the receiver checks (§4.8.2,
    /// <c>invalid-namespace</c>).
    /// </summary>
    public string DefaultNamespace { get; init; } = string.Empty;
}
