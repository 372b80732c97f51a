namespace Xmpp.Grains.Upload;

/// <summary>The HTTP port of this process that serves slots' URLs; its number once bound (a free port is known only then).</summary>
public sealed class UploadListener(Func<int?> boundPort)
{
    public int? Port => boundPort();
}
