using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xmpp.Gateway.Diagnostics;
using Xmpp.Gateway.Features;
using Xmpp.Gateway.Registration;
using Xmpp.Gateway.Sasl;
using Xmpp.Gateway.Sessions;
using Xmpp.Gateway.Tcp;
using Xmpp.Gateway.Tls;

namespace Xmpp.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// The c2s gateway: options from the "Gateway" section, certificate, throttling, session
    /// tracking and the c2s TCP listener (a hosted service). Needs the grain runtime, the account store and
    /// <c>XmppOptions</c> registered as well.
    /// </summary>
    public static IServiceCollection AddXmppGateway(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CertificateProvider>();
        services.TryAddSingleton<AuthThrottle>();
        services.TryAddSingleton<RegistrationThrottle>();
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<SessionTracker>();
        services.TryAddSingleton<SessionContext>();
        services.TryAddSingleton<C2sListener>();
        services.AddHostedService(static sp => sp.GetRequiredService<C2sListener>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStreamFeatureProvider, AccountStreamFeatures>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStreamFeatureProvider, StreamManagementFeatures>());
        return services;
    }
}
