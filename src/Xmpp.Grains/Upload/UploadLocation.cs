using Microsoft.Extensions.Options;

namespace Xmpp.Grains.Upload;

/// <summary>
/// Where the slots' URLs point: <c>Xmpp:Upload:PublicUrl</c>, else this process's own HTTP port
/// (<see cref="UploadListener"/>, which the server registers when it has one) at
/// <c>http://&lt;Domain&gt;:&lt;port&gt;/upload</c>, else nowhere, and then the service is off.
/// </summary>
public sealed class UploadLocation(IOptions<XmppOptions> options, UploadListener? listener = null)
{
    /// <summary>The path the server's HTTP endpoint serves slots under.</summary>
    public const string Path = "/upload";

    private readonly string? _publicUrl = options.Value.Upload.PublicUrl?.TrimEnd('/');
    private readonly string _domain = options.Value.Domain;

    /// <summary>The base of slot URLs (no trailing '/'), or null when nothing serves them.</summary>
    public string? BaseUrl =>
        !string.IsNullOrEmpty(_publicUrl) ? _publicUrl
        : listener?.Port is int port ? $"http://{_domain}:{port}{Path}"
        : null;

    /// <summary>A slot's GET and PUT URL (the same one, as Prosody's): the base, the slot and the file name.</summary>
    public string UrlOf(string slot, string fileName) =>
        $"{BaseUrl ?? throw new InvalidOperationException("No HTTP endpoint serves uploads")}/{slot}/{Uri.EscapeDataString(fileName)}";
}
