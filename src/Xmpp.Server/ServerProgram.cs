using Microsoft.Extensions.Options;
using Xmpp.Gateway;
using Xmpp.Gateway.Tls;
using Xmpp.Grains;
using Xmpp.Grains.Upload;
using Microsoft.Extensions.DependencyInjection;

namespace Xmpp.Server;

/// <summary>The executable: <c>user …</c> runs the admin CLI, anything else runs the server until Ctrl+C.</summary>
internal static class ServerProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] is "user" or "users" or "room" or "rooms")
        {
            try
            {
                return args[0].StartsWith("user", StringComparison.Ordinal)
                    ? await AdminCli.RunAsync(args)
                    : await RoomCli.RunAsync(args, Console.Out, Console.Error);
            }
            catch (Exception e) when (IsBadStart(e))
            {
                await Console.Error.WriteLineAsync(OneLine(e));
                return 1;
            }
        }

        if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
        {
            PrintUsage();
            return 0;
        }

        RunningXmppServer server;
        try
        {
            server = await XmppServerHost.StartAsync(args);
        }
        catch (Exception e) when (IsBadStart(e))
        {
            await Console.Error.WriteLineAsync("Cannot start: " + OneLine(e));
            return 1;
        }

        await using (server)
        {
            PrintWelcome(server);
            await server.WaitForShutdownAsync();
        }

        return 0;
    }

    /// <summary>What a start or a command cannot get past: the operator's to fix (a file, a port, a setting), not a bug.</summary>
    private static bool IsBadStart(Exception e) =>
        e is ArgumentException or FormatException or IOException or InvalidDataException or InvalidOperationException
            or OptionsValidationException or UnauthorizedAccessException;

    /// <summary>
    /// The message, with the innermost cause's when that one says what is wrong (a configuration
    /// file's JSON error: "Failed to load configuration from file 'x.json'" alone does not).
    /// </summary>
    private static string OneLine(Exception e)
    {
        var cause = e;
        while (cause.InnerException is { } inner)
        {
            cause = inner;
        }

        var line = e is InvalidDataException && cause != e ? $"{e.Message.TrimEnd('.')}: {cause.Message}" : e.Message;
        return line.ReplaceLineEndings(" ");
    }

    private static void PrintWelcome(RunningXmppServer server)
    {
        var domain = server.Services.GetRequiredService<IOptions<XmppOptions>>().Value.Domain;
        var certificate = server.Services.GetRequiredService<CertificateProvider>();
        var gateway = server.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        Console.WriteLine();
        Console.WriteLine($"Orleans.Xmpp is serving '{domain}'.");
        Console.WriteLine($"  c2s (STARTTLS)  {server.C2sEndpoint}");
        if (server.WebSocketEndpoint is { } ws)
        {
            Console.WriteLine($"  WebSocket       ws://{domain}:{ws.Port}/xmpp-websocket");
        }

        if (server.Services.GetRequiredService<UploadService>() is { IsOn: true } upload)
        {
            Console.WriteLine($"  HTTP upload     {upload.Domain}, files at {server.Services.GetRequiredService<UploadLocation>().BaseUrl}/");
        }

        if (server.ManagementEndpoint is { } management)
        {
            Console.WriteLine($"  Management      http://{management}/healthz, /readyz, /metrics");
        }

        if (certificate.Certificate is { } cert)
        {
            var where = string.IsNullOrEmpty(gateway.Tls.CertificatePath) ? $"self-signed, {certificate.GeneratedPath}" : gateway.Tls.CertificatePath;
            Console.WriteLine($"  TLS certificate {cert.Subject} ({where})");
        }

        Console.WriteLine();
        Console.WriteLine("Add a user:  dotnet run --project src/Xmpp.Server -- user add alice <password>");
        Console.WriteLine($"Connect:     any XMPP client as alice@{domain}, server {domain} (or 127.0.0.1), port {server.C2sEndpoint.Port};");
        Console.WriteLine("             accept the self-signed certificate, or configure Gateway:Tls:CertificatePath.");
        Console.WriteLine("Stop:        Ctrl+C");
        Console.WriteLine();
    }

    private static void PrintUsage()
    {
        Console.WriteLine("""
            Usage:
              Xmpp.Server [--config FILE] [--c2s-port N] [--ws-port N] [--management-port N] [--Section:Key=value ...]
              Xmpp.Server user add NAME [PASSWORD]      (password read from stdin when omitted)
              Xmpp.Server user passwd NAME [PASSWORD]
              Xmpp.Server user delete NAME               (through the running server, as if its user removed it)
              Xmpp.Server user list
              Xmpp.Server room list                      (the running server's rooms, through Orleans:GatewayPort)
              Xmpp.Server room destroy ROOM [--reason TEXT]

            --config FILE   a JSON file layered over appsettings.json (then environment, then command line)
            --c2s-port N    client TCP port (default 5222; 0 picks a free port)
            --ws-port N     WebSocket port for /xmpp-websocket (default 5280; 0 turns it off)
            --management-port N
                            /healthz, /readyz, /metrics (default 9464 on 127.0.0.1; 0 turns it off)
            Environment:    Xmpp__Domain=example.org, Storage__Provider=InMemory, ...
            """);
    }
}
