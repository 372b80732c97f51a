using System.Text;
using Microsoft.Extensions.Options;
using Xmpp.Storage;

namespace Xmpp.Grains.Upload;

/// <summary>
/// The key slots are signed and checked with, the same in every process: <c>Xmpp:Upload:Secret</c>
/// when configured, else the cluster's generated one (<see cref="IUploadSecretGrain"/>), fetched
/// once per process.
/// </summary>
public sealed class UploadSecret
{
    private readonly OnceSucceeded<byte[]> _key;

    public UploadSecret(IOptions<XmppOptions> options, IGrainFactory grains)
    {
        var xmpp = options.Value;
        var configured = xmpp.Upload.Secret;
        var host = xmpp.Upload.HostFor(xmpp.Domain);
        _key = new(() => string.IsNullOrEmpty(configured)
            ? grains.GetGrain<IUploadSecretGrain>(host).GetAsync()
            : Task.FromResult(Encoding.UTF8.GetBytes(configured)));
    }

    public Task<byte[]> GetAsync() => _key.GetAsync();
}
