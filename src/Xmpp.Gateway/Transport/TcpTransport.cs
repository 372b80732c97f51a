using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;

namespace Xmpp.Gateway.Transport;

/// <summary>
/// RFC 6120 over TCP: the stream is one XML document on a Kestrel connection's duplex pipe.
/// STARTTLS swaps the pipe for one over an <see cref="SslStream"/> on the original pipe, as Kestrel's
/// TLS middleware does; the XMPP stream then restarts on the new pipe.
/// </summary>
internal sealed class TcpTransport : XmppTransport
{
    private static readonly StreamPipeReaderOptions TlsReaderOptions = new(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true);
    private static readonly StreamPipeWriterOptions TlsWriterOptions = new(minimumBufferSize: 4096, leaveOpen: true);

    private readonly ConnectionContext _connection;
    private readonly bool _tlsAvailable;
    private volatile PipeReader _input;
    private volatile PipeWriter _output;
    private SslStream? _tls;
    private XmlStreamParser _parser;
    private XmlParserLimits _limits;

    public TcpTransport(ConnectionContext connection, XmlParserLimits limits, bool tlsAvailable)
    {
        _connection = connection;
        _tlsAvailable = tlsAvailable;
        _input = connection.Transport.Input;
        _output = connection.Transport.Output;
        _parser = new XmlStreamParser(limits);
        _limits = limits;
        RemoteEndPoint = connection.RemoteEndPoint as IPEndPoint;
    }

    public override IPEndPoint? RemoteEndPoint { get; }

    public override bool IsEncrypted => _tls is not null;

    public override bool CanStartTls => _tlsAvailable && _tls is null;

    // Pooled builders: one read per network arrival and one flush per batch must not allocate a box each.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<TransportReadStatus> ReadAsync(List<StreamEvent> events)
    {
        var input = _input;
        var result = await input.ReadAsync();
        var buffer = result.Buffer;
        if (result.IsCanceled)
        {
            input.AdvanceTo(buffer.Start);
            return TransportReadStatus.Canceled;
        }

        try
        {
            if (!buffer.IsEmpty)
            {
                // The parser keeps partial tokens itself, so everything read is consumed.
                _parser.Parse(buffer, events);
            }
        }
        finally
        {
            input.AdvanceTo(buffer.End);
        }

        return result.IsCompleted ? TransportReadStatus.Completed : TransportReadStatus.Data;
    }

    public override bool IsAtElementBoundary => _parser.IsAtStanzaBoundary;

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
        var span = _output.GetSpan(1);
        span[0] = (byte)' ';
        _output.Advance(1);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await _output.FlushAsync(cancellationToken);
            return !result.IsCanceled && !result.IsCompleted;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or ConnectionAbortedException)
        {
            return false;
        }
    }

    public override async ValueTask DrainAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var input = _input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cts.Token);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or ConnectionAbortedException or InvalidOperationException)
        {
            // Timed out, reset or already completed: nothing more to wait for.
        }
    }

    public override async Task StartTlsAsync(SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        // Everything before the ClientHello was consumed (ReadAsync always advances to the end), so
        // the TLS stream starts at exactly the first byte after <starttls/>.
        var tls = new SslStream(new DuplexPipeStream(_connection.Transport.Input, _connection.Transport.Output), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(options, cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        _tls = tls;
        _input = PipeReader.Create(tls, TlsReaderOptions);
        _output = PipeWriter.Create(tls, TlsWriterOptions);
    }

    public override void CancelPendingRead() => _input.CancelPendingRead();

    public override void CancelPendingFlush()
    {
        _output.CancelPendingFlush();
        if (_tls is not null)
        {
            _connection.Transport.Output.CancelPendingFlush(); // the encrypted bytes wait there
        }
    }

    public override void Abort(string reason) => _connection.Abort(new ConnectionAbortedException(reason));

    public override async ValueTask CompleteAsync()
    {
        if (_tls is not null)
        {
            try
            {
                await _output.CompleteAsync();
                await _input.CompleteAsync();
                await _tls.ShutdownAsync(); // TLS close_notify before the TCP FIN
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // The peer is gone; nothing left to say.
            }
            finally
            {
                await _tls.DisposeAsync();
            }
        }

        // Kestrel completes the connection's own pipes (and sends FIN) when the handler returns.
    }
}
