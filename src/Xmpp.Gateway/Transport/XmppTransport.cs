using System.Net;
using System.Net.Security;

namespace Xmpp.Gateway.Transport;

internal enum TransportReadStatus
{
    /// <summary>Bytes were read (and parsed into events, possibly none yet).</summary>
    Data,

    /// <summary><see cref="XmppTransport.CancelPendingRead"/> woke the reader: the session is closing.</summary>
    Canceled,

    /// <summary>The peer closed its side or the connection is gone.</summary>
    Completed,
}

/// <summary>
/// One XMPP stream's transport and framing, below the session: TCP (a byte stream of one XML
/// document, RFC 6120 §4) or WebSocket (one element per message, RFC 7395). The session never
/// touches sockets or bytes; it reads parsed events and writes elements.
/// <para>
/// Ownership: one reader at a time (the session's read loop) and one writer at a time (the read
/// loop during negotiation, the session writer after bind). <see cref="CancelPendingRead"/>,
/// <see cref="CancelPendingFlush"/> and <see cref="Abort"/> may be called from any thread.
/// </para>
/// </summary>
internal abstract class XmppTransport
{
    public abstract IPEndPoint? RemoteEndPoint { get; }

    /// <summary>What the client connected over.</summary>
    public abstract TransportKind Kind { get; }

    /// <summary>Bytes received from the client so far (for its inbound rate limit).</summary>
    public long BytesReceived { get; protected set; }

    /// <summary>TLS protects this transport (STARTTLS done, or wss://).</summary>
    public abstract bool IsEncrypted { get; }

    /// <summary>STARTTLS is possible now (plain TCP with a certificate available).</summary>
    public abstract bool CanStartTls { get; }

    /// <summary>
    /// Waits for input and parses what arrived into <paramref name="events"/>. Events parsed before
    /// a parser error are kept in the list when the <see cref="StreamErrorException"/> propagates.
    /// </summary>
    public abstract ValueTask<TransportReadStatus> ReadAsync(List<StreamEvent> events);

    /// <summary>No part of an element is buffered: the input stopped exactly between top-level elements.</summary>
    public abstract bool IsAtElementBoundary { get; }

    /// <summary>A new stream begins on this transport (after TLS or SASL, RFC 6120 §4.3.3): fresh parser state and limits.</summary>
    public abstract void ResetStream(XmlParserLimits limits);

    public abstract void WriteStreamHeader(Element header);

    /// <summary>Writes one top-level element (stanza or nonza) of the stream.</summary>
    public abstract void WriteElement(Element element);

    public abstract void WriteStreamClose();

    /// <summary>A whitespace keepalive (RFC 6120 §4.6.1); nothing for framings that have their own pings.</summary>
    public abstract void WriteKeepalive();

    /// <summary>Pushes everything written so far to the peer. False when the peer is gone or the flush was canceled.</summary>
    /// <remarks>Called by a session's writer, which may run on a grain's thread: implementations await with ConfigureAwait(false).</remarks>
    public abstract ValueTask<bool> FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Swaps the transport for TLS under the stream (RFC 6120 §5.4.3.3) after &lt;proceed/&gt; was flushed.</summary>
    public abstract Task StartTlsAsync(SslServerAuthenticationOptions options, CancellationToken cancellationToken);

    public abstract void CancelPendingRead();

    public abstract void CancelPendingFlush();

    /// <summary>Drops the connection at once (no more bytes are sent).</summary>
    public abstract void Abort(string reason);

    /// <summary>
    /// After our closing tag: reads and discards input until the peer closes or the time is up
    /// (RFC 6120 §4.4, the peer's closing tag). Closing a socket with unread input makes TCP send a
    /// reset, which can destroy the stream error before the client has read it.
    /// </summary>
    public abstract ValueTask DrainAsync(TimeSpan timeout);

    /// <summary>Ends the connection in order after the last flush (TLS close_notify, then FIN).</summary>
    public abstract ValueTask CompleteAsync();
}
