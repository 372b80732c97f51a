namespace Xmpp.Server.Upload;

/// <summary>
/// A request body read as exactly <c>length</c> bytes: reading throws <see cref="LengthMismatchException"/>
/// as soon as it proves longer, or ends shorter, so that the store never commits it. A chunked
/// body has no Content-Length to check beforehand (Prosody checks the final size for the same reason).
/// </summary>
internal sealed class ExactLengthStream(Stream body, long length) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(body.Read(buffer[..Allowed(buffer.Length)]), buffer.Length);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await body.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken), buffer.Length);

    /// <summary>Asks for at most one byte beyond the length: enough to tell a longer body.</summary>
    private int Allowed(int wanted) => (int)Math.Min(wanted, length - _read + 1);

    private int Count(int read, int wanted)
    {
        _read += read;
        if (_read > length || (read == 0 && wanted > 0 && _read < length))
        {
            throw new LengthMismatchException();
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The body is not as long as the slot says.</summary>
    public sealed class LengthMismatchException() : IOException("The upload is not the size of its slot");
}
