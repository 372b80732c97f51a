namespace Xmpp.Grains.Upload;

/// <summary>The errors of a slot request, with Prosody's conditions and texts (mod_http_file_share's upload_errors).</summary>
internal static class UploadErrors
{
    /// <summary>Slots are for the server's own accounts (http_file_share_access).</summary>
    public static StanzaError Access { get; } = StanzaError.Forbidden();

    public static StanzaError FileName { get; } = StanzaError.BadRequest("Invalid filename");

    public static StanzaError FileType { get; } = StanzaError.NotAcceptable("File type not allowed");

    public static StanzaError FileSizeFormat { get; } = StanzaError.BadRequest("File size must be positive integer");

    public static StanzaError Quota { get; } = StanzaError.ResourceConstraint("Daily quota reached");

    /// <summary>XEP-0363 §5: the limit in an application condition, so that a client can say it.</summary>
    public static StanzaError FileSize(long maxFileSize) => StanzaError.NotAcceptable("File too large") with
    {
        ApplicationCondition = new Element("file-too-large", Namespaces.HttpUpload)
            .AddTextChild("max-file-size", Namespaces.HttpUpload, maxFileSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };
}
