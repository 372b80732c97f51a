using System.IO.Pipelines;

namespace Xmpp.Gateway.Transport;

/// <summary>
/// A <see cref="Stream"/> over a connection's duplex pipe so <see cref="System.Net.Security.SslStream"/>
/// can sit on it (as in Kestrel's TLS middleware). Zero-byte reads wait for data without taking a
/// buffer, which lets an idle TLS connection hold no read buffer.
/// </summary>
internal sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start);
                throw new OperationCanceledException("The read was canceled.");
            }

            if (destination.Length == 0)
            {
                // Zero-byte read: report that data is there without consuming it.
                input.AdvanceTo(buffer.Start);
                return 0;
            }

            if (!buffer.IsEmpty)
            {
                var count = (int)Math.Min(buffer.Length, destination.Length);
                var slice = buffer.Slice(0, count);
                slice.CopyTo(destination.Span);
                input.AdvanceTo(slice.End);
                return count;
            }

            input.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                return 0;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var result = await output.WriteAsync(source, cancellationToken);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("The write was canceled.");
        }

        if (result.IsCompleted)
        {
            throw new IOException("The connection is closed.");
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken) => await output.FlushAsync(cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The session only uses the asynchronous API; blocking calls would tie up a thread per connection.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush() => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
