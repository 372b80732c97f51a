using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace Xmpp.Storage.AzureTables;

/// <summary>Registers the Azure Tables provider.</summary>
public static class AzureTableStorageServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IStateStore"/> and <see cref="IAccountStore"/> in the Azure Storage account of
    /// <paramref name="connectionString"/> (tables <c>xmppstate</c> and <c>xmppaccounts</c>, created
    /// on first use), with Orleans' default grain storage over them.
    /// </summary>
    public static IServiceCollection AddAzureTableStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var service = new TableServiceClient(connectionString);
        services.AddSingleton<IStateStore>(new AzureTableStateStore(service));
        services.AddSingleton<IAccountStore>(new AzureTableAccountStore(service));
        return services.AddStateStoreGrainStorage();
    }
}
