namespace Xmpp.Grains.Upload;

/// <summary>
/// One account's upload quota (key: its bare JID), wherever its slot requests arrive in the
/// cluster: the bytes it requested slots for lately, and the slots themselves, issued once counted.
/// </summary>
public interface IUploadQuotaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Slot requests of the account that <see cref="UploadService"/> accepted, in the order they
    /// were sent: each is answered with a slot, or with Prosody's quota error when it would exceed the quota.
    /// </summary>
    Task RequestSlotsAsync([Immutable] IReadOnlyList<Element> requests);
}
