using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using Xmpp.Gateway.Transport;

namespace Xmpp.Gateway.WebSockets;

/// <summary>
/// XMPP over WebSocket (RFC 7395): every message is one or more complete elements, the stream
/// header is <c>&lt;open/&gt;</c> and its end <c>&lt;close/&gt;</c> in the framing namespace, and
/// each element stands alone (namespaces declared in every message). The session above is the same
/// as for TCP; only the framing differs. TLS is the HTTP layer's (wss://), so no STARTTLS.
/// </summary>
internal sealed class WebSocketTransport : XmppTransport
{
    private const int ReceiveBufferSize = 4096;

    private readonly WebSocket _socket;
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private readonly List<int> _messageEnds = new(4);
    private readonly TaskCompletionSource _readCanceled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private XmlStreamParser _parser;
    private Task<ValueWebSocketReceiveResult>? _pendingReceive;
    private byte[]? _pendingBuffer;

    public WebSocketTransport(WebSocket socket, IPEndPoint? remote, bool encrypted, XmlParserLimits limits)
    {
        _socket = socket;
        RemoteEndPoint = remote;
        IsEncrypted = encrypted;
        _parser = XmlStreamParser.ForFragments(limits);
    }

    public override IPEndPoint? RemoteEndPoint { get; }

    public override TransportKind Kind => TransportKind.WebSocket;

    public override bool IsEncrypted { get; }

    public override bool CanStartTls => false;

    public override bool IsAtElementBoundary => _parser.IsAtStanzaBoundary;

    public override async ValueTask<TransportReadStatus> ReadAsync(List<StreamEvent> events)
    {
        var buffer = _pendingBuffer ?? ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        _pendingBuffer = buffer;
        var receive = _pendingReceive ??= _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask();

        // A WebSocket receive cannot be canceled without aborting the socket, so a close request
        // races it instead; the socket stays usable for our closing messages.
        if (await Task.WhenAny(receive, _readCanceled.Task) != receive)
        {
            return TransportReadStatus.Canceled;
        }

        _pendingReceive = null;
        _pendingBuffer = null;
        try
        {
            var result = await receive;
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return TransportReadStatus.Completed;
            }

            if (result.MessageType != WebSocketMessageType.Text)
            {
                // RFC 7395 §3.2: XMPP messages are text frames (UTF-8).
                throw new StreamErrorException(StreamError.UnsupportedEncoding, "XMPP over WebSocket uses text messages");
            }

            var start = events.Count;
            BytesReceived += result.Count;
            _parser.Parse(buffer.AsSpan(0, result.Count), events);
            if (result.EndOfMessage && !_parser.IsAtStanzaBoundary)
            {
                // §3.3.3: a message holds complete elements only.
                throw new StreamErrorException(StreamError.InvalidXml, "A WebSocket message must contain complete elements");
            }

            TranslateFraming(events, start);
            return TransportReadStatus.Data;
        }
        catch (WebSocketException)
        {
            return TransportReadStatus.Completed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>§3.3: &lt;open/&gt; is the stream header and &lt;close/&gt; its end; everything else is a stanza or nonza.</summary>
    private static void TranslateFraming(List<StreamEvent> events, int start)
    {
        for (var i = start; i < events.Count; i++)
        {
            if (events[i] is StanzaReceived { Stanza: var element } && element.Namespace == Namespaces.Framing)
            {
                events[i] = element.Name switch
                {
                    "open" => new StreamOpened(element) { DefaultNamespace = Namespaces.Client },
                    "close" => StreamClosed.Instance,
                    _ => events[i],
                };
            }
        }
    }

    public override void ResetStream(XmlParserLimits limits) => _parser = XmlStreamParser.ForFragments(limits);

    public override void WriteStreamHeader(Element header)
    {
        // §3.3.2: <open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from=… id=… version='1.0' xml:lang=…/>
        var open = new Element("open", Namespaces.Framing);
        foreach (var attribute in header.Attributes)
        {
            open.SetAttribute(attribute.Name, attribute.Value, attribute.Namespace);
        }

        WriteElement(open);
    }

    public override void WriteElement(Element element)
    {
        // Each message stands alone (§3.4): declare jabber:client and the stream prefix in it.
        StanzaWriter.Write(_output, element, string.Empty, streamPrefixDeclared: false);
        _messageEnds.Add(_output.WrittenCount);
    }

    public override void WriteStreamClose() => WriteElement(new Element("close", Namespaces.Framing));

    public override void WriteKeepalive()
    {
        // WebSocket has its own ping frames (KeepAliveInterval); whitespace would be an invalid message.
    }

    public override async ValueTask<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var start = 0;
            foreach (var end in _messageEnds)
            {
                await _socket.SendAsync(_output.WrittenMemory[start..end], WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                start = end;
            }

            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            return false;
        }
        finally
        {
            _messageEnds.Clear();
            _output.ResetWrittenCount();
        }
    }

    // The WebSocket close handshake (CompleteAsync) plays this part.
    public override ValueTask DrainAsync(TimeSpan timeout) => ValueTask.CompletedTask;

    public override Task StartTlsAsync(SslServerAuthenticationOptions options, CancellationToken cancellationToken) =>
        throw new NotSupportedException("RFC 7395 streams are secured by the HTTP layer.");

    public override void CancelPendingRead() => _readCanceled.TrySetResult();

    // A WebSocket send cannot be canceled without aborting the socket, which is what a client that
    // does not read gets anyway.
    public override void CancelPendingFlush() => _socket.Abort();

    public override void Abort(string reason) => _socket.Abort();

    public override async ValueTask CompleteAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _socket.Abort();
        }
    }
}
