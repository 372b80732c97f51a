using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Storage.Uploads;

namespace Xmpp.Storage.AzureBlobs;

/// <summary>Registers the Azure Blob Storage provider of uploaded files.</summary>
public static class AzureBlobStorageServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IUploadStore"/> in the <c>xmppupload</c> container of <paramref name="service"/>'s
    /// account (created on first use). Takes a client, however it was authenticated (a connection
    /// string, a service URI and a credential).
    /// </summary>
    public static IServiceCollection AddAzureBlobUploadStore(this IServiceCollection services, BlobServiceClient service)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(service);
        return services.AddSingleton<IUploadStore>(new AzureBlobUploadStore(service));
    }
}
