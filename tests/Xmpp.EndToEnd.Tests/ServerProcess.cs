using System.Diagnostics;
using System.Net;
using System.Text;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// The server executable run as its own process, as users run it: its entry point's settings
/// apply (inline socket completions), which a server hosted inside the test process cannot have.
/// Listens on an ephemeral loopback port, learned from its welcome text; killed on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly string Assembly = Path.Combine(AppContext.BaseDirectory, "Xmpp.Server.dll");

    // How long the WebSocket and management endpoints may be named after the c2s one, when they
    // are on (started with --Gateway:WebSocketPort=-1 and --management-port -1).
    private static readonly TimeSpan LaterEndpoints = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly ServerWelcome _welcome;

    private ServerProcess(Process process)
    {
        _process = process;
        _welcome = new ServerWelcome(process);
    }

    public IPEndPoint C2sEndpoint => _welcome.C2sEndpoint.Result;

    public int Id => _process.Id;

    /// <summary>
    /// The RFC 7395 endpoint's URL on loopback, once the server has named its port (the welcome
    /// names it after the c2s endpoint, so it may come just after <see cref="StartAsync"/> returns).
    /// </summary>
    public async Task<Uri> WebSocketUrlAsync()
    {
        var port = await _welcome.WebSocketPort.WaitAsync(LaterEndpoints);
        return new Uri($"ws://{C2sEndpoint.Address}:{port}/xmpp-websocket");
    }

    /// <summary>The management endpoint's base URL on loopback (started with <c>--management-port -1</c>), once the welcome named it.</summary>
    public async Task<Uri> ManagementUrlAsync() => new($"http://127.0.0.1:{(await _welcome.ManagementEndpoint.WaitAsync(LaterEndpoints)).Port}/");

    /// <summary>Runs <c>Xmpp.Server ARGS</c> to its end (the admin CLI): its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunToEndAsync(params string[] arguments) =>
        RunToEndAsync(new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="RunToEndAsync(string[])"/>, with variables added to its environment (what a host platform sets).</summary>
    public static Task<(int ExitCode, string Output)> RunToEndAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = StartInfo(arguments);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Combined(ProcessRun.ToEndAsync(start, TimeSpan.FromSeconds(60)));

        static async Task<(int ExitCode, string Output)> Combined(Task<(int ExitCode, string Output, string Errors)> run)
        {
            var (exitCode, output, errors) = await run;
            return (exitCode, output + errors);
        }
    }

    /// <summary>Starts the server and waits until it names its c2s endpoint.</summary>
    public static async Task<ServerProcess> StartAsync(params string[] arguments)
    {
        var server = new ServerProcess(Process.Start(StartInfo(["--c2s-port", "0", "--ws-port", "0", "--management-port", "0", "--Orleans:SiloPort=0", "--Orleans:GatewayPort=0", "--Gateway:ListenAddress=127.0.0.1", .. arguments]))!);
        try
        {
            await server._welcome.C2sEndpoint.WaitAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Names of the server's threads, from /proc (Linux truncates them to 15 characters).</summary>
    public IReadOnlyList<string> ThreadNames()
    {
        var names = new List<string>();
        foreach (var task in Directory.GetDirectories($"/proc/{Id}/task"))
        {
            try
            {
                names.Add(File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // The thread ended since the listing.
            }
        }

        return names;
    }

    /// <summary>What the server wrote so far, for failure messages.</summary>
    public string Output => _welcome.Output;

    /// <summary>Stops the server as a service manager or container runtime does (SIGTERM) and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        // The SDK's host runs the test too; "dotnet" from PATH when the test runs some other way.
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }
}
