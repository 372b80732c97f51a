using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Xmpp.Storage.Uploads;

namespace Xmpp.Storage.AzureBlobs;

/// <summary>
/// Upload slots' files as block blobs named by slot id in one container (<c>xmppupload</c>, created
/// on first use): the content type as the blob's, the file name (escaped: metadata is ASCII) and
/// the upload time in its metadata. A blob is committed only once all its content was read, and
/// never over an existing one.
/// </summary>
public sealed class AzureBlobUploadStore(BlobServiceClient service, string containerName = AzureBlobUploadStore.DefaultContainer) : IUploadStore
{
    public const string DefaultContainer = "xmppupload";

    private const string FileNameKey = "filename";
    private const string UploadedKey = "uploaded";

    // A request body cannot be rewound, so the SDK buffers what it sends: blocks of 4 MiB, two in
    // flight, bound the memory one upload takes whatever the file size (its defaults buffer up to
    // 256 MiB before it chooses between one request and blocks).
    private static readonly StorageTransferOptions Transfer = new()
    {
        InitialTransferSize = 4 * 1024 * 1024,
        MaximumTransferSize = 4 * 1024 * 1024,
        MaximumConcurrency = 2,
    };

    private readonly CreatedOnFirstUse<BlobContainerClient> _container =
        new(service.GetBlobContainerClient(containerName), static container => container.CreateIfNotExistsAsync());

    public async Task<bool> PutAsync(UploadedFile file, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var blob = await BlobAsync(file.Slot);
        if (await blob.ExistsAsync(cancellationToken))
        {
            return false;
        }

        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = file.ContentType },
            Metadata = new Dictionary<string, string>
            {
                [FileNameKey] = Uri.EscapeDataString(file.FileName),
                [UploadedKey] = file.Uploaded.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            TransferOptions = Transfer,
        };
        try
        {
            await blob.UploadAsync(content, options, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false; // another upload of the slot committed first
        }
    }

    public async Task<UploadContent?> OpenAsync(string slot, CancellationToken cancellationToken = default)
    {
        var blob = await BlobAsync(slot);
        try
        {
            BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
            var file = new UploadedFile(
                slot,
                Uri.UnescapeDataString(properties.Metadata.TryGetValue(FileNameKey, out var name) ? name : slot),
                properties.ContentType,
                properties.ContentLength,
                UploadedOf(properties.Metadata, properties.LastModified));
            return new UploadContent(file, stream);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string slot, CancellationToken cancellationToken = default)
    {
        var blob = await BlobAsync(slot);
        await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    public async IAsyncEnumerable<string> ListOlderThanAsync(DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var container = await _container.GetAsync();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken))
        {
            if (UploadSlotId.IsWellFormed(item.Name) && UploadedOf(item.Metadata, item.Properties.LastModified ?? DateTimeOffset.MaxValue) < cutoff)
            {
                yield return item.Name;
            }
        }
    }

    private async ValueTask<BlobClient> BlobAsync(string slot)
    {
        UploadSlotId.Check(slot);
        return (await _container.GetAsync()).GetBlobClient(slot);
    }

    /// <summary>The upload time the store wrote, or the blob's own time for a blob written otherwise.</summary>
    private static DateTimeOffset UploadedOf(IDictionary<string, string> metadata, DateTimeOffset lastModified) =>
        metadata.TryGetValue(UploadedKey, out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : lastModified;
}
