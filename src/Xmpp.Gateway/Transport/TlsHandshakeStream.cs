namespace Xmpp.Gateway.Transport;

/// <summary>
/// The socket's stream under an <see cref="System.Net.Security.SslStream"/>: while the handshake
/// runs, a read or write that had to wait resumes on the thread pool, because what follows it is
/// the handshake's key exchange and signature (a millisecond of CPU with an RSA key), which must
/// not run on a socket engine's thread (<see cref="ThreadPoolHop"/>). After the handshake it only
/// passes through: decrypting a record is short.
/// </summary>
internal sealed class TlsHandshakeStream(Stream inner) : Stream
{
    /// <summary>Set once the handshake has ended; from then on nothing hops.</summary>
    public bool HandshakeDone { get; set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(buffer, cancellationToken);
        return HandshakeDone || read.IsCompleted ? read : ResumeOnThreadPoolAsync(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var write = inner.WriteAsync(buffer, cancellationToken);
        return HandshakeDone || write.IsCompleted ? write : ResumeOnThreadPoolAsync(write);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static async ValueTask<int> ResumeOnThreadPoolAsync(ValueTask<int> read)
    {
        var count = await read;
        await ThreadPoolHop.Ensure();
        return count;
    }

    private static async ValueTask ResumeOnThreadPoolAsync(ValueTask write)
    {
        await write;
        await ThreadPoolHop.Ensure();
    }
}
