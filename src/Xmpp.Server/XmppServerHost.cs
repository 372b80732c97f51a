using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Xmpp.Gateway;
using Xmpp.Gateway.Tcp;
using Xmpp.Gateway.Tls;
using Xmpp.Gateway.WebSockets;
using Xmpp.Grains;
using Xmpp.Grains.Server;
using Xmpp.Grains.Upload;
using Xmpp.Server.Cluster;
using Xmpp.Server.Logging;
using Xmpp.Server.Management;
using Xmpp.Server.Memory;
using Xmpp.Server.Upload;

namespace Xmpp.Server;

/// <summary>
/// Builds and starts the whole server in-process: configuration, storage, the Orleans silo with
/// the grains, the c2s listener and (optionally) the WebSocket endpoint, in one host and one
/// container (a gateway silo, DESIGN §1). Used by <c>Program</c> and tests.
/// </summary>
public static class XmppServerHost
{
    /// <summary>
    /// Starts a server with the same arguments the executable takes (<c>--config FILE</c>,
    /// <c>--c2s-port N</c>, <c>--ws-port N</c>, <c>--Section:Key=value</c>). A c2s port of 0 binds a
    /// free port; read the result from <see cref="RunningXmppServer.C2sEndpoint"/>.
    /// </summary>
    public static Task<RunningXmppServer> StartAsync(string[] args, CancellationToken ct = default) => StartAsync(args, null, ct);

    /// <summary>
    /// As <see cref="StartAsync(string[], CancellationToken)"/>, with <paramref name="configureServices"/>
    /// run after the server registered its services, so that it can replace them (tests put a
    /// fault between the server and its storage this way).
    /// </summary>
    public static async Task<RunningXmppServer> StartAsync(string[] args, Action<IServiceCollection>? configureServices, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (host, http) = Build(args, configureServices);
        var gate = host.Services.GetRequiredService<StartupLogGate>();
        gate.Hold();
        try
        {
            // Load or generate the certificate now, not on the first STARTTLS.
            _ = host.Services.GetRequiredService<CertificateProvider>().Context;
            await host.StartAsync(ct);
            gate.Release();
        }
        catch (StorageUnreachableException)
        {
            Fail(host, gate);
            throw;
        }
        catch (IOException e) when (http?.BindFailure(e) is { } failure)
        {
            Fail(host, gate);
            throw new IOException(failure, e);
        }
        catch (Exception e) when (SiloConfiguration.ClusteringUnreachable(e, SiloConfiguration.Read(host.Services.GetRequiredService<IConfiguration>())) is { } unreachable)
        {
            Fail(host, gate);
            throw new InvalidOperationException(unreachable, e);
        }
        catch
        {
            Fail(host, gate);
            throw;
        }

        var c2s = host.Services.GetRequiredService<C2sListener>().LocalEndPoint!;
        var server = new RunningXmppServer(host, c2s, http?.WebSocket?.IPEndPoint, http?.Management?.IPEndPoint);
        LogStart(host, server);
        return server;
    }

    /// <summary>
    /// The c2s listener is the gateway's own (a hosted service); Kestrel runs only for the
    /// WebSocket endpoint (which also serves upload slots' URLs) and the management port, so a
    /// server with neither has no HTTP stack.
    /// </summary>
    private static (IHost Host, HttpListeners? Http) Build(string[] args, Action<IServiceCollection>? configureServices)
    {
        var environment = ServerConfiguration.EnvironmentName();
        using var probe = new ConfigurationManager(); // only to choose the host kind
        ServerConfiguration.Apply(probe, args, environment);
        var gateway = probe.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        var management = probe.GetSection(ManagementOptions.SectionName).Get<ManagementOptions>() ?? new ManagementOptions();
        if (gateway.WebSocketPort == 0 && management.Port == 0)
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = environment });
            Configure(builder, args, gateway, configureServices);
            return (builder.Build(), null);
        }

        if (gateway.WebSocketPort > 0 && gateway.WebSocketPort == management.Port)
        {
            throw new InvalidOperationException($"Management:Port and Gateway:WebSocketPort are both {management.Port}; give the management endpoint a port of its own.");
        }

        var web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = environment });
        Configure(web, args, gateway, configureServices);
        ManagementEndpoint.AddServices(web, management);
        var listeners = new HttpListeners();
        var serveUploads = gateway.WebSocketPort != 0 && UploadEnabled(probe);
        if (serveUploads)
        {
            UploadEndpoint.AddServices(web.Services);
            web.Services.AddSingleton(new UploadListener(() => listeners.WebSocket?.IPEndPoint is { Port: > 0 } bound ? bound.Port : null));
        }

        web.WebHost.ConfigureKestrel(kestrel =>
        {
            listeners.WebSocket = HttpListen.Bind(kestrel, gateway.WebSocketPort, gateway.ListenAddress, "Gateway:ListenAddress");
            listeners.Management = HttpListen.Bind(kestrel, management.Port, management.ListenAddress, "Management:ListenAddress");
        });

        var app = web.Build();
        if (gateway.WebSocketPort != 0)
        {
            app.MapXmppWebSocket();
        }

        ManagementEndpoint.Map(app, management, () => listeners.Management);
        if (serveUploads)
        {
            UploadEndpoint.Map(app); // after the management port's filter: upload paths are 404 there
        }

        return (app, listeners);
    }

    /// <summary>
    /// Kestrel's listen options of the WebSocket endpoint and the management port: set when Kestrel
    /// reads its options as it starts, and holding the ports it bound (free ones when asked) after.
    /// </summary>
    private sealed class HttpListeners
    {
        public ListenOptions? WebSocket { get; set; }

        public ListenOptions? Management { get; set; }

        /// <summary>
        /// Kestrel names the address it could not bind ("Failed to bind to address
        /// http://127.0.0.1:5280: address already in use.") but not the setting that asked for it;
        /// this says both, as the c2s listener does. Null for any other failure.
        /// </summary>
        public string? BindFailure(IOException e)
        {
            if (e.InnerException is not { } cause || !e.Message.StartsWith("Failed to bind to address", StringComparison.Ordinal))
            {
                return null;
            }

            foreach (var (listen, settings) in new[] { (WebSocket, "Gateway:WebSocketPort, Gateway:ListenAddress"), (Management, "Management:Port, Management:ListenAddress") })
            {
                if (listen?.IPEndPoint is { Port: > 0 } endpoint && e.Message.Contains($":{endpoint.Port}:", StringComparison.Ordinal))
                {
                    return $"Cannot listen on {endpoint} ({settings}): {cause.Message}";
                }
            }

            return null;
        }
    }

    private static void Configure(IHostApplicationBuilder builder, string[] args, GatewayOptions gateway, Action<IServiceCollection>? configureServices)
    {
        ServerConfiguration.Apply(builder.Configuration, args, builder.Environment.EnvironmentName);
        var orleans = SiloConfiguration.Read(builder.Configuration);

        // The shutdown log first (it stops last), the database's lock, then the silo: hosted
        // services start in order and stop in reverse, so grains are up before the first client
        // connects and still up while the gateway's sessions unbind.
        builder.Services.AddHostedService<ShutdownLog>();
        if (StorageRegistration.SqliteDatabase(builder.Configuration) is { } database)
        {
            builder.Services.AddHostedService(_ => new SqliteServerLock(database));
        }

        builder.Services.AddOrleans(silo => SiloConfiguration.ConfigureClustering(silo, orleans));
        AddServer(builder, orleans, gateway);
        configureServices?.Invoke(builder.Services);
    }

    /// <summary>
    /// Everything of a server but its clustering, onto a silo host that a test cluster
    /// (Orleans' <c>InProcessTestCluster</c>) builds and clusters itself: configuration from the
    /// same arguments as the executable, storage, grains' services and the c2s listener.
    /// </summary>
    public static void ConfigureSiloHost(IHostApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ServerConfiguration.Apply(builder.Configuration, args, builder.Environment.EnvironmentName);
        var gateway = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        AddServer(builder, SiloConfiguration.Read(builder.Configuration), gateway);
    }

    private static void AddServer(IHostApplicationBuilder builder, OrleansSettings orleans, GatewayOptions gateway)
    {
        var configuration = builder.Configuration;
        var dataDirectory = ServerConfiguration.DataDirectory(configuration);

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        // One line per entry; Logging:Console:FormatterName=json writes JSON lines instead, for
        // containers whose log collectors parse them (timestamps in UTC, ISO 8601).
        builder.Logging.AddConsole();
        builder.Services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        GateConsoleLogging(builder.Services);

        var services = builder.Services;
        services.AddOptions<XmppOptions>().BindConfiguration(XmppOptions.SectionName)
            .PostConfigure(o => o.EveryAccountExists |= gateway.OpenAuthentication) // any name logs in, so every name is an account
            .Validate(o => o.StreamManagement.MaxUnackedStanzas > 0, "Xmpp:StreamManagement:MaxUnackedStanzas must be positive.")
            .ValidateOnStart();
        if (configuration["Xmpp:Domain"] is { } domain && !(Jid.TryParse(domain, out var served) && served.IsBare && served.Local is null))
        {
            throw new ArgumentException($"Xmpp:Domain '{domain}' is not a domain name (RFC 7622)");
        }

        if (configuration.GetSection("Xmpp:ExternalServices").Get<ExternalServicesOptions>()?.Problem() is { } problem)
        {
            throw new ArgumentException(problem);
        }

        services.AddConfiguredStorage(configuration);
        SiloConfiguration.AddSiloServices(services, orleans);
        services.AddHostedService<MembershipLog>();
        services.AddXmppGrains();
        services.AddXmppGateway();
        services.AddOptions<MemoryOptions>().BindConfiguration(MemoryOptions.SectionName)
            .Validate(o => o.CheckInterval > TimeSpan.Zero, "Memory:CheckInterval must be positive.")
            .ValidateOnStart();
        services.AddHostedService<IdleMemoryTrimmer>();
        if (UploadEnabled(configuration))
        {
            services.AddHostedService<UploadExpirySweep>();
        }

        services.PostConfigure<GatewayOptions>(o => o.Tls.DataDirectory ??= dataDirectory);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = gateway.ShutdownTimeout + TimeSpan.FromSeconds(5));
    }

    private static bool UploadEnabled(IConfiguration configuration) =>
        configuration.GetValue($"{XmppOptions.SectionName}:Upload:{nameof(UploadOptions.Enabled)}", true);

    /// <summary>A failed start: the host goes (what its shutdown logs with an exception is held too), and the caller reports the cause.</summary>
    private static void Fail(IHost host, StartupLogGate gate)
    {
        gate.Discard();
        host.Dispose();
    }

    /// <summary>Puts the console logger behind the <see cref="StartupLogGate"/> that <see cref="StartAsync(string[], Action{IServiceCollection}?, CancellationToken)"/> closes while it starts.</summary>
    private static void GateConsoleLogging(IServiceCollection services)
    {
        services.AddSingleton<StartupLogGate>();
        var console = services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        services.Remove(console);
        services.AddSingleton<ILoggerProvider>(sp => new GatedLoggerProvider(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(sp), sp.GetRequiredService<StartupLogGate>()));
    }

    /// <summary>Where upload slots point, or why there are none (no HTTP port to serve them is not an error).</summary>
    private static void LogUpload(ILogger logger, UploadOptions options, UploadService upload, UploadLocation location)
    {
        if (upload.IsOn)
        {
            logger.LogInformation("HTTP file upload (XEP-0363) at {Host}, files at {Url}/", upload.Domain, location.BaseUrl);
        }
        else if (options.Enabled)
        {
            logger.LogInformation("HTTP file upload is off: no HTTP port serves it (Gateway:WebSocketPort is 0) and Xmpp:Upload:PublicUrl is not set");
        }
    }

    private static void LogStart(IHost app, RunningXmppServer server)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Xmpp.Server");
        var xmpp = app.Services.GetRequiredService<IOptions<XmppOptions>>().Value;
        var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        logger.LogInformation(
            "Serving {Domain}: c2s on {C2s}{WebSocket}{Management}, {Storage}",
            xmpp.Domain,
            server.C2sEndpoint,
            server.WebSocketEndpoint is null ? string.Empty : $", WebSocket on {server.WebSocketEndpoint}/xmpp-websocket",
            server.ManagementEndpoint is null ? string.Empty : $", management (/healthz, /readyz, /metrics) on {server.ManagementEndpoint}",
            StorageRegistration.Describe(app.Services.GetRequiredService<IConfiguration>()));
        LogUpload(logger, xmpp.Upload, app.Services.GetRequiredService<UploadService>(), app.Services.GetRequiredService<UploadLocation>());
        if (gateway.OpenAuthentication)
        {
            logger.LogWarning(
                "!!! OPEN AUTHENTICATION IS ON (Gateway:OpenAuthentication): ANY PASSWORD LOGS IN AND CREATES THE ACCOUNT. "
                + "This is for conformance testing only; never expose this server. !!!");
        }

        if (!gateway.RequireEncryption)
        {
            logger.LogWarning("Gateway:RequireEncryption is off: clients may authenticate without TLS");
        }
    }
}
