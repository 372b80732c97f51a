namespace Xmpp.Storage.Uploads;

/// <summary>A stored file opened for reading: what is known of it and its bytes.</summary>
public sealed record UploadContent(UploadedFile File, Stream Stream) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
