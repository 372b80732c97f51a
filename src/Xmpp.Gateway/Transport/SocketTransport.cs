using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Xmpp.Gateway.Transport;

/// <summary>
/// RFC 6120 over TCP, straight on the accepted socket: the stream is one XML document. STARTTLS
/// puts an <see cref="SslStream"/> over the same socket and the stream restarts on it.
/// <para>
/// Memory is the point of owning the socket rather than running under a server framework: an idle
/// connection holds no buffer at all. A read first waits with a zero-byte receive, then borrows a
/// pooled buffer only while it reads and parses what arrived; output is serialized into a pooled
/// buffer that goes back to the pool once flushed. What stays per connection is the socket, this
/// object and the parser's state.
/// </para>
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The only disposable is a CancellationTokenSource without timer or links, which holds nothing to release; disposing it would race late cancels.")]
internal sealed class SocketTransport : XmppTransport
{
    private const int ReceiveBufferSize = 4096;

    /// <summary>Reads (of up to <see cref="ReceiveBufferSize"/>) handled in a row before <see cref="ThreadPoolHop"/>.</summary>
    internal const int MaxReadsWithoutWaiting = 16;

    private readonly Socket _socket;
    private readonly bool _tlsAvailable;
    private readonly PooledBufferWriter _output = new();

    // One-shot: a canceled read means the session is closing (XmppTransport.CancelPendingRead).
    private readonly CancellationTokenSource _readCanceled = new();
    private SslStream? _tls;
    private XmlStreamParser _parser;
    private XmlParserLimits _limits;
    private volatile bool _flushing;
    private int _readsWithoutWaiting;

    public SocketTransport(Socket socket, XmlParserLimits limits, bool tlsAvailable)
    {
        _socket = socket;
        _tlsAvailable = tlsAvailable;
        _parser = new XmlStreamParser(limits);
        _limits = limits;
        socket.Blocking = false; // reads and writes try the socket directly first; see ReceiveAvailableAsync, FlushAsync
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint; // kept: logs name the peer after the socket is gone
    }

    public override IPEndPoint? RemoteEndPoint { get; }

    public override TransportKind Kind => TransportKind.Tcp;

    public override bool IsEncrypted => _tls is not null;

    public override bool CanStartTls => _tlsAvailable && _tls is null;

    public override bool IsAtElementBoundary => _parser.IsAtStanzaBoundary;

    // Pooled builders: one read per network arrival and one flush per batch must not allocate a box each.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<TransportReadStatus> ReadAsync(List<StreamEvent> events)
    {
        var canceled = _readCanceled.Token;
        if (canceled.IsCancellationRequested)
        {
            return TransportReadStatus.Canceled;
        }

        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Wait for data without a buffer. A zero-byte read consumes nothing, so canceling it loses nothing.
                var wait = _tls is null
                    ? _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, canceled)
                    : _tls.ReadAsync(Memory<byte>.Empty, canceled);
                if (!wait.IsCompleted)
                {
                    _readsWithoutWaiting = 0;
                }
                else if (++_readsWithoutWaiting >= MaxReadsWithoutWaiting)
                {
                    // A client whose data is always waiting would otherwise keep the thread for
                    // good; if that is a socket engine's thread, its other connections starve.
                    _readsWithoutWaiting = 0;
                    await ThreadPoolHop.Ensure();
                }

                _ = await wait;

                buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                var count = await ReceiveAvailableAsync(buffer, canceled);
                if (count == 0)
                {
                    return TransportReadStatus.Completed;
                }

                if (count > 0)
                {
                    // The parser keeps partial tokens itself, so the buffer can go back right after.
                    BytesReceived += count;
                    _parser.Parse(buffer.AsSpan(0, count), events);
                    return TransportReadStatus.Data;
                }

                ArrayPool<byte>.Shared.Return(buffer); // woken without data after all: wait again
                buffer = null;
            }
        }
        catch (OperationCanceledException) when (canceled.IsCancellationRequested)
        {
            return TransportReadStatus.Canceled;
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            return TransportReadStatus.Completed;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Reads what has arrived: 0 at the end of input, -1 when nothing is there after all. In the
    /// clear that is one non-blocking receive (no second asynchronous operation per read).
    /// </summary>
    private ValueTask<int> ReceiveAvailableAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        if (_tls is not null)
        {
            return _tls.ReadAsync(buffer.AsMemory(), cancellationToken);
        }

        var count = _socket.Receive(buffer, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => ValueTask.FromResult(count),
            SocketError.WouldBlock => ValueTask.FromResult(-1),
            _ => ValueTask.FromException<int>(new SocketException((int)error)),
        };
    }

    public override void ResetStream(XmlParserLimits limits)
    {
        if (ReferenceEquals(limits, _limits))
        {
            _parser.Reset();
        }
        else
        {
            _parser = new XmlStreamParser(limits);
            _limits = limits;
        }
    }

    public override void WriteStreamHeader(Element header) => StanzaWriter.WriteStreamHeader(_output, header);

    public override void WriteElement(Element element) => StanzaWriter.Write(_output, element);

    public override void WriteStreamClose() => StanzaWriter.WriteStreamClose(_output);

    public override void WriteKeepalive()
    {
        _output.GetSpan(1)[0] = (byte)' ';
        _output.Advance(1);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_output.WrittenCount == 0)
        {
            return true;
        }

        _flushing = true;
        try
        {
            var pending = _output.WrittenMemory;
            if (_tls is not null)
            {
                var write = _tls.WriteAsync(pending, cancellationToken);
                var waited = !write.IsCompleted;
                await write.ConfigureAwait(false);
                if (waited)
                {
                    await ThreadPoolHop.Ensure(); // as for a send in the clear, below
                }

                return true;
            }

            // Non-blocking sends; only a full socket buffer (a client that reads slowly) waits.
            while (!pending.IsEmpty)
            {
                var sent = _socket.Send(pending.Span, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    sent = await _socket.SendAsync(pending, SocketFlags.None, cancellationToken).ConfigureAwait(false);

                    // Resumed by the socket engine: the writer goes on to serialize whatever grains
                    // queued meanwhile, which is not bounded, so it does that on the thread pool.
                    await ThreadPoolHop.Ensure();
                }
                else if (error != SocketError.Success)
                {
                    return false;
                }

                pending = pending[sent..];
            }

            return true;
        }
        catch (Exception e) when (e is OperationCanceledException || IsConnectionGone(e))
        {
            return false;
        }
        finally
        {
            _flushing = false;
            _output.Clear();
        }
    }

    public override async ValueTask DrainAsync(TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            while (await ReadRawAsync(buffer, timer.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException || IsConnectionGone(e))
        {
            // Timed out, reset or already closed: nothing more to wait for.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ValueTask<int> ReadRawAsync(byte[] buffer, CancellationToken cancellationToken) =>
        _tls is null
            ? _socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, cancellationToken)
            : _tls.ReadAsync(buffer.AsMemory(), cancellationToken);

    public override async Task StartTlsAsync(SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        // Every byte before the ClientHello was read and parsed (the session checked that nothing
        // followed <starttls/>), so the handshake starts at exactly the next byte on the socket.
        _socket.Blocking = true; // NetworkStream insists; TLS reads and writes are asynchronous anyway
        var socketStream = new TlsHandshakeStream(new NetworkStream(_socket, ownsSocket: false));
        var tls = new SslStream(socketStream, leaveInnerStreamOpen: false);
        try
        {
            await ThreadPoolHop.Ensure(); // a ClientHello already here is answered right away: key exchange, signature
            await tls.AuthenticateAsServerAsync(options, cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        socketStream.HandshakeDone = true;
        _tls = tls;
    }

    public override void CancelPendingRead()
    {
        // Asynchronously: a pending receive completes on cancellation, and its continuation (the
        // session's close) must not run on the caller's thread, which may be a grain turn.
        _ = _readCanceled.CancelAsync();
    }

    /// <summary>
    /// A send that cannot complete means the client does not read; the bytes already handed to the
    /// socket cannot be taken back, so the connection is dropped (the stream error could not get
    /// through anyway). Without a send in progress, the writer still gets to write the error.
    /// </summary>
    public override void CancelPendingFlush()
    {
        if (_flushing)
        {
            Abort("the client does not read");
        }
    }

    public override void Abort(string reason)
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            // Already reset or closed.
        }

        _socket.Dispose(); // pending reads and sends complete with an error
    }

    public override async ValueTask CompleteAsync()
    {
        try
        {
            if (_tls is not null)
            {
                await _tls.ShutdownAsync(); // TLS close_notify before the TCP FIN
            }

            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (IsConnectionGone(e) || e is InvalidOperationException)
        {
            // The peer is gone (or TLS already failed); nothing left to say.
        }
        finally
        {
            if (_tls is not null)
            {
                await _tls.DisposeAsync();
            }

            _socket.Dispose();
        }
    }

    private static bool IsConnectionGone(Exception e) =>
        e is SocketException or IOException or ObjectDisposedException;
}
