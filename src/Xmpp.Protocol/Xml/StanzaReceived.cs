namespace Xmpp.Protocol.Xml;

/// <summary>
/// A complete first-level element of the stream: a stanza, or a negotiation element
/// (<c>&lt;starttls/&gt;</c>, <c>&lt;auth/&gt;</c>, <c>&lt;stream:features/&gt;</c>, <c>&lt;stream:error/&gt;</c>…).
/// In fragment mode (RFC 7395), every complete top-level element.
/// </summary>
public sealed record StanzaReceived(Element Stanza) : StreamEvent;
