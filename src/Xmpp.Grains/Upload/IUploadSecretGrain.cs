namespace Xmpp.Grains.Upload;

/// <summary>
/// The key upload slots are signed with when none is configured (key: the upload service's
/// domain): generated on first use and kept in the configured storage, so that every process of
/// the cluster, and the next start, checks slots with the same one.
/// </summary>
public interface IUploadSecretGrain : IGrainWithStringKey
{
    Task<byte[]> GetAsync();
}
