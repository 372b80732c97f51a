namespace Xmpp.Protocol.Xml;

/// <summary>The closing <c>&lt;/stream:stream&gt;</c> tag (RFC 6120 §4.4).</summary>
public sealed record StreamClosed : StreamEvent
{
    /// <summary>The event carries no data, so one instance serves every stream.</summary>
    public static StreamClosed Instance { get; } = new();
}
