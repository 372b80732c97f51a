using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Storage.Archive;

namespace Xmpp.Storage.AzureTables;

/// <summary>Registers the Azure Tables provider.</summary>
public static class AzureTableStorageServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IStateStore"/>, <see cref="IAccountStore"/> and <see cref="IArchiveStore"/> in the table service
    /// <paramref name="service"/> (tables <c>xmppstate</c>, <c>xmppaccounts</c> and <c>xmpparchive</c>, created on
    /// first use; <see cref="AzureTableStorageTables"/> creates them at once), with Orleans' default grain
    /// storage over them. The caller says how the service is reached and signed in to (a connection
    /// string, or a token credential); make the client with <see cref="InteractiveClientOptions"/>.
    /// </summary>
    public static IServiceCollection AddAzureTableStorage(this IServiceCollection services, TableServiceClient service)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(service);
        var state = new AzureTableStateStore(service);
        var accounts = new AzureTableAccountStore(service);
        services.AddSingleton<IStateStore>(state);
        var archive = new AzureTableArchiveStore(service);
        services.AddSingleton<IAccountStore>(accounts);
        services.AddSingleton<IArchiveStore>(archive);
        services.AddSingleton(new AzureTableStorageTables(service.Uri, state.Table, accounts.Table, archive.Table));
        return services.AddStateStoreGrainStorage();
    }

    /// <summary>
    /// A user waits on every write (a roster change is answered once stored): the SDK's default
    /// retries (0.8 s doubling, three times: 5.6 s, then as long again for the read-back after a
    /// failed write) would keep a client waiting past its own timeouts during an outage. Retries
    /// here are quick and few (0.1 s doubling to at most 1 s, three times: under a second in all),
    /// enough for a blip; a longer outage is answered with an error the client may retry.
    /// </summary>
    public static TableClientOptions InteractiveClientOptions()
    {
        var options = new TableClientOptions();
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.MaxRetries = 3;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }
}
