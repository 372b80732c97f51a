namespace Xmpp.Protocol.Xml;

/// <summary>
/// What <see cref="XmlStreamParser"/> reports at stream level (RFC 6120 §4): the stream header,
/// each complete depth-1 element, and the end of the stream.
/// </summary>
public abstract record StreamEvent;
