using Azure.Storage.Blobs;
using Xmpp.Gateway.Tests;
using Xmpp.Storage.AzureBlobs;
using Xmpp.Storage.Uploads;

namespace Xmpp.Storage.Tests;

/// <summary>The upload contract on the local disk, in a folder of its own (created by the first upload).</summary>
public sealed class DiskUploadStoreTests : UploadStoreContract, IDisposable
{
    private readonly DiskUploadStore _store = new(Path.Combine(Path.GetTempPath(), "xmpp-upload-tests", Guid.NewGuid().ToString("N")));

    protected override IUploadStore Store => _store;

    [Fact]
    public async Task Files_are_named_by_slot_and_what_a_crash_leaves_goes_with_the_sweep()
    {
        var slot = UploadSlotId.New();
        Assert.True(await _store.PutAsync(new UploadedFile(slot, "../../x.txt", "text/plain", 1, DateTimeOffset.UtcNow), new MemoryStream([1])));
        Assert.Equal([slot, slot + ".json"], Directory.GetFiles(_store.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var crashed = UploadSlotId.New();
        var part = Path.Combine(_store.Directory, $"{crashed}.0123.part");
        await File.WriteAllBytesAsync(part, [1, 2]);
        File.SetLastWriteTimeUtc(part, DateTime.UtcNow.AddDays(-8));
        var expired = await _store.ListOlderThanAsync(DateTimeOffset.UtcNow.AddDays(-7)).ToListAsync();
        Assert.Equal([crashed], expired);
        await _store.DeleteAsync(crashed);
        Assert.False(File.Exists(part));
    }

    public void Dispose()
    {
        if (Directory.Exists(_store.Directory))
        {
            Directory.Delete(_store.Directory, recursive: true);
        }
    }
}

/// <summary>The upload contract on Azure Blob Storage (a real Azurite), each test in a container of its own.</summary>
public sealed class AzureBlobUploadStoreTests(AzuriteBlobs azurite) : UploadStoreContract, IClassFixture<AzuriteBlobs>
{
    protected override IUploadStore Store { get; } = new AzureBlobUploadStore(new BlobServiceClient(azurite.ConnectionString), "uploads" + Guid.NewGuid().ToString("N"));
}
