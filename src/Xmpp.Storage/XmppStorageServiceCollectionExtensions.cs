using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Xmpp.Storage.Archive;
using Xmpp.Storage.Uploads;

namespace Xmpp.Storage;

/// <summary>Registers a storage provider's stores and Orleans' grain storage over them.</summary>
public static class XmppStorageServiceCollectionExtensions
{
    /// <summary>
    /// Orleans' default grain storage (the one <c>[PersistentState("name")]</c> uses) as
    /// <see cref="StateStoreGrainStorage"/> over the registered <see cref="IStateStore"/>.
    /// </summary>
    public static IServiceCollection AddStateStoreGrainStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddGrainStorage(
            ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
            static (sp, _) => new StateStoreGrainStorage(sp.GetRequiredService<IStateStore>()));
    }

    /// <summary>In-memory <see cref="IStateStore"/>, <see cref="IAccountStore"/> and <see cref="IArchiveStore"/> (tests, "InMemory" storage mode), with grain storage over them.</summary>
    public static IServiceCollection AddInMemoryStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IStateStore, InMemoryStateStore>();
        services.AddSingleton<IAccountStore, InMemoryAccountStore>();
        services.AddSingleton<IArchiveStore, InMemoryArchiveStore>();
        return services.AddStateStoreGrainStorage();
    }

    /// <summary>Uploaded files (XEP-0363) in <paramref name="directory"/> on the local disk (<see cref="DiskUploadStore"/>).</summary>
    public static IServiceCollection AddDiskUploadStore(this IServiceCollection services, string directory)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddSingleton<IUploadStore>(new DiskUploadStore(directory));
    }
}
