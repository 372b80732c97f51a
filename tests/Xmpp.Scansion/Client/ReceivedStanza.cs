using Xmpp.Protocol.Xml;

namespace Xmpp.Scansion.Client;

/// <summary>A stanza as it came off the wire: where it ended in the byte stream, in which network read, and when.</summary>
/// <param name="Stanza">The parsed stanza (or any other first-level element, e.g. a stream error).</param>
/// <param name="EndOffset">Stream offset just past its last byte.</param>
/// <param name="ReadNumber">The network read that completed it (1, 2, …).</param>
/// <param name="ArrivedAt">When that read completed, as a <see cref="TimeProvider"/> timestamp.</param>
public sealed record ReceivedStanza(Element Stanza, long EndOffset, long ReadNumber, long ArrivedAt);
