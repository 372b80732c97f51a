namespace Xmpp.Grains.Upload.State;

/// <summary>Bytes of the slots issued from <see cref="Start"/> for the length of a bucket.</summary>
public sealed record UploadQuotaBucket(DateTimeOffset Start, long Bytes);
