using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xmpp.Grains.Muc;
using Xmpp.Grains.PubSub;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Server;
using Xmpp.Grains.Upload;
using Xmpp.Grains.Users;

namespace Xmpp.Grains;

public static class XmppGrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the grains use beside Orleans: the router, this silo's session directory and
    /// the server's own handlers. Orleans finds the grain classes in this assembly by itself. Needs
    /// a silo, a storage provider (grain storage and accounts) and <see cref="XmppOptions"/> configured.
    /// </summary>
    public static IServiceCollection AddXmppGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IStanzaRouter, StanzaRouter>();
        services.AddSingleton<SessionDirectory>();
        services.AddSingleton<SessionHub>();
        services.AddSingleton<SessionPushSender>();
        services.AddMetrics();
        services.TryAddSingleton<MucMetrics>();
        services.TryAddSingleton<Diagnostics.LimitMetrics>();
        services.AddSingleton<UndeliveredPushes>();
        services.AddSingleton<UserRelay>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<UserRelay>());
        services.AddSingleton<UserRelaySender>();
        services.AddSingleton(sp => new Lazy<IEnumerable<IDomainService>>(sp.GetServices<IDomainService>));
        services.AddSingleton<ServerService>();
        services.AddSingleton<IDomainService>(sp => sp.GetRequiredService<ServerService>());
        services.AddSingleton<MucService>();
        services.AddSingleton<IDomainService>(sp => sp.GetRequiredService<MucService>());
        services.AddSingleton<PubSubService>();
        services.AddSingleton<EntityCapsCache>();
        services.AddSingleton<IDomainService>(sp => sp.GetRequiredService<PubSubService>());
        services.AddSingleton<UploadLocation>();
        services.AddSingleton<UploadSecret>();
        services.AddSingleton<UploadSlots>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<IDomainService>(sp => sp.GetRequiredService<UploadService>());
        services.AddOptions<XmppOptions>()
            .Validate(o => o.Upload.PublicUrl is not { Length: > 0 } url || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"), "Xmpp:Upload:PublicUrl must be an absolute http or https URL.")
            .ValidateOnStart();
        return services;
    }
}
