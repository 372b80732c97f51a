using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Xmpp.Runtime.Internal;
using Xmpp.Runtime.Storage;

namespace Xmpp.Runtime;

/// <summary>Registers the grain runtime, grain classes and the in-memory storage.</summary>
public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime: <see cref="IGrainFactory"/> (singleton), and a hosted service that
    /// deactivates every grain on shutdown. Disposing the service provider shuts down too.
    /// </summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddOptions<GrainRuntimeOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<GrainRuntime>(static sp => new GrainRuntime(sp));
        services.TryAddSingleton<IGrainFactory>(static sp => sp.GetRequiredService<GrainRuntime>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GrainRuntimeHostedService>());
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TGrainClass"/> as the implementation of
    /// <typeparamref name="TGrainInterface"/>. <paramref name="grainTypeName"/> names the grain
    /// type in storage (<see cref="GrainStateId.GrainType"/>), e.g. "user".
    /// </summary>
    public static IServiceCollection AddGrain<TGrainInterface, TGrainClass>(this IServiceCollection services, string grainTypeName)
        where TGrainInterface : IGrainWithStringKey
        where TGrainClass : Grain, TGrainInterface
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(grainTypeName);
        services.AddSingleton(new GrainRegistration(typeof(TGrainInterface), typeof(TGrainClass), grainTypeName));
        return services;
    }

    /// <summary>In-memory <see cref="IGrainStorage"/> and <see cref="IAccountStore"/> (tests, "in-memory" storage mode).</summary>
    public static IServiceCollection AddInMemoryStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IGrainStorage, InMemoryGrainStorage>();
        services.AddSingleton<IAccountStore, InMemoryAccountStore>();
        return services;
    }
}
