using System.Globalization;

namespace Xmpp.Grains.Upload;

/// <summary>
/// A slot request (XEP-0363 §4: <c>&lt;request filename size content-type/&gt;</c>), read and
/// checked in the order of Prosody's may_upload. The quota is the account's grain's to check.
/// </summary>
internal sealed record SlotRequest(string FileName, long Size, string? ContentType)
{
    /// <summary>The request of <paramref name="request"/>, or the error Prosody answers it with.</summary>
    public static SlotRequest Read(Element request, UploadOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);

        // A name is a name, not a path: '/' is the one character a Linux file name cannot hold
        // that XML can (Prosody's reason); it is never used as a path here either.
        var fileName = request.GetAttribute("filename");
        if (string.IsNullOrEmpty(fileName) || fileName.Contains('/', StringComparison.Ordinal))
        {
            throw new StanzaErrorException(UploadErrors.FileName);
        }

        if (!long.TryParse(request.GetAttribute("size"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            throw new StanzaErrorException(UploadErrors.FileSizeFormat);
        }

        if (size > options.MaxFileSize)
        {
            throw new StanzaErrorException(UploadErrors.FileSize(options.MaxFileSize));
        }

        var slot = new SlotRequest(fileName, size, request.GetAttribute("content-type"));
        if (options.AllowedContentTypes.Count > 0 && !MediaTypes.MatchesAny(options.AllowedContentTypes, slot.ContentType ?? SlotClaims.DefaultContentType))
        {
            throw new StanzaErrorException(UploadErrors.FileType);
        }

        return slot;
    }
}
