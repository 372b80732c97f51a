namespace Xmpp.Bench.Net;

/// <summary>One token read from the stream; <see cref="Bytes"/> is valid until the next read.</summary>
internal readonly record struct Frame(FrameKind Kind, ReadOnlyMemory<byte> Bytes)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Bytes.Span);

    public bool StartsWith(ReadOnlySpan<byte> prefix) => Bytes.Span.StartsWith(prefix);
}
