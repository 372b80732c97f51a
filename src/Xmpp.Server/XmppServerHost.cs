using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Gateway;
using Xmpp.Gateway.Tcp;
using Xmpp.Gateway.Tls;
using Xmpp.Gateway.WebSockets;
using Xmpp.Grains;
using Xmpp.Runtime;

namespace Xmpp.Server;

/// <summary>
/// Builds and starts the whole server in-process: configuration, storage, grain runtime, grains,
/// the c2s listener and (optionally) the WebSocket endpoint. Used by <c>Program</c>, the scansion
/// runner and tests.
/// </summary>
public static class XmppServerHost
{
    /// <summary>
    /// Starts a server with the same arguments the executable takes (<c>--config FILE</c>,
    /// <c>--c2s-port N</c>, <c>--ws-port N</c>, <c>--Section:Key=value</c>). A c2s port of 0 binds a
    /// free port; read the result from <see cref="RunningXmppServer.C2sEndpoint"/>.
    /// </summary>
    public static async Task<RunningXmppServer> StartAsync(string[] args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var app = Build(args, out var endpoints);
        try
        {
            // Load or generate the certificate now, not on the first STARTTLS.
            _ = app.Services.GetRequiredService<CertificateProvider>().Context;
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var server = new RunningXmppServer(app, endpoints.C2s!.IPEndPoint!, endpoints.WebSocket?.IPEndPoint);
        LogStart(app, server);
        return server;
    }

    private static WebApplication Build(string[] args, out ListenEndpoints endpoints)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        ServerConfiguration.Apply(builder.Configuration, args, builder.Environment.EnvironmentName);
        var configuration = builder.Configuration;
        var dataDirectory = ServerConfiguration.DataDirectory(configuration);

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        var services = builder.Services;
        services.AddOptions<XmppOptions>().BindConfiguration(XmppOptions.SectionName);
        services.AddConfiguredStorage(configuration);
        services.AddGrainRuntime();
        services.AddXmppGrains();
        services.AddXmppGateway();
        services.PostConfigure<GatewayOptions>(o => o.Tls.DataDirectory ??= dataDirectory);

        var gateway = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = gateway.ShutdownTimeout + TimeSpan.FromSeconds(5));

        var listen = new ListenEndpoints();
        endpoints = listen;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The c2s listener is always on: port 0 picks a free port (tests).
            listen.C2s = Listen(kestrel, gateway.ListenAddress, Math.Max(gateway.C2sPort, 0), o => o.UseConnectionHandler<C2sConnectionHandler>());

            // WebSocket: 0 turns it off; a negative port picks a free one (tests).
            if (gateway.WebSocketPort != 0)
            {
                listen.WebSocket = Listen(kestrel, gateway.ListenAddress, Math.Max(gateway.WebSocketPort, 0), o => o.Protocols = HttpProtocols.Http1);
            }
        });

        var app = builder.Build();
        if (gateway.WebSocketPort != 0)
        {
            app.MapXmppWebSocket();
        }

        return app;
    }

    private static ListenOptions Listen(KestrelServerOptions kestrel, string? address, int port, Action<ListenOptions> configure)
    {
        ListenOptions? captured = null;
        void Capture(ListenOptions options)
        {
            captured = options;
            configure(options);
        }

        if (string.IsNullOrWhiteSpace(address) || address is "*" or "any")
        {
            kestrel.ListenAnyIP(port, Capture);
        }
        else if (IPAddress.TryParse(address, out var ip))
        {
            kestrel.Listen(ip, port, Capture);
        }
        else if (address.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.Listen(IPAddress.Loopback, port, Capture);
        }
        else
        {
            throw new InvalidOperationException($"Gateway:ListenAddress '{address}' is not an IP address (or 'localhost', or empty for all interfaces).");
        }

        return captured!;
    }

    private static void LogStart(WebApplication app, RunningXmppServer server)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Xmpp.Server");
        var xmpp = app.Services.GetRequiredService<IOptions<XmppOptions>>().Value;
        var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        logger.LogInformation(
            "Serving {Domain}: c2s on {C2s}{WebSocket}, {Storage}",
            xmpp.Domain,
            server.C2sEndpoint,
            server.WebSocketEndpoint is null ? string.Empty : $", WebSocket on {server.WebSocketEndpoint}/xmpp-websocket",
            StorageRegistration.Describe(app.Configuration));
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

    /// <summary>The ListenOptions Kestrel fills in with the bound endpoints once started.</summary>
    private sealed class ListenEndpoints
    {
        public ListenOptions? C2s { get; set; }

        public ListenOptions? WebSocket { get; set; }
    }
}
