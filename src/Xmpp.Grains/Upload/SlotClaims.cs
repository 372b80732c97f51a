namespace Xmpp.Grains.Upload;

/// <summary>
/// What a slot allows: one upload to <see cref="Slot"/> of exactly <see cref="Size"/> bytes, of
/// <see cref="ContentType"/> when the request named one, until <see cref="Expires"/>; served as
/// <see cref="FileName"/>.
/// </summary>
public sealed record SlotClaims(string Slot, string FileName, long Size, string? ContentType, DateTimeOffset Expires)
{
    /// <summary>What a file is served as when its slot named no content type (XEP-0363 §5).</summary>
    public const string DefaultContentType = "application/octet-stream";

    /// <summary>The content type the file is stored and served with.</summary>
    public string ServedContentType => ContentType ?? DefaultContentType;
}
