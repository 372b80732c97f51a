namespace Xmpp.Grains.Upload.State;

/// <summary>The generated key upload slots are signed with.</summary>
public sealed class UploadSecretState
{
#pragma warning disable CA1819 // a key is bytes; the grain hands out copies through Orleans
    public byte[]? Key { get; set; }
#pragma warning restore CA1819
}
