using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// The server executable run as its own process, as users run it: its entry point's settings
/// apply (inline socket completions), which a server hosted inside the test process cannot have.
/// Listens on an ephemeral loopback port, learned from its welcome text; killed on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly string Assembly = Path.Combine(AppContext.BaseDirectory, "Xmpp.Server.dll");

    private const string C2sMarker = "c2s (STARTTLS)";

    // The welcome lines of the WebSocket endpoint and the management port, on when started with
    // --Gateway:WebSocketPort=-1 and --management-port -1.
    private readonly AnnouncedPort _webSocketPort = new(@"ws://[^:/\s]+:(?<port>\d+)/xmpp-websocket", "a WebSocket endpoint");
    private readonly AnnouncedPort _managementPort = new(@"Management +http://[^\s]+:(?<port>\d+)/healthz", "a management endpoint");

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<IPEndPoint> _c2s = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        process.Exited += (_, _) =>
        {
            _c2s.TrySetException(new InvalidOperationException($"The server ended without serving: {Output}"));
            _webSocketPort.Fail(Output);
            _managementPort.Fail(Output);
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IPEndPoint C2sEndpoint => _c2s.Task.Result;

    public int Id => _process.Id;

    /// <summary>
    /// The RFC 7395 endpoint's URL on loopback, once the server has named its port (the welcome
    /// names it after the c2s endpoint, so it may come just after <see cref="StartAsync"/> returns).
    /// </summary>
    public async Task<Uri> WebSocketUrlAsync()
    {
        var port = await _webSocketPort.WaitAsync();
        return new Uri($"ws://{C2sEndpoint.Address}:{port}/xmpp-websocket");
    }

    /// <summary>The management endpoint's base URL on loopback (started with <c>--management-port -1</c>), once the welcome named it.</summary>
    public async Task<Uri> ManagementUrlAsync() => new($"http://127.0.0.1:{await _managementPort.WaitAsync()}/");

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
            await server._c2s.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
        }

        var marker = line.IndexOf(C2sMarker, StringComparison.Ordinal);
        if (marker >= 0)
        {
            _c2s.TrySetResult(IPEndPoint.Parse(line[(marker + C2sMarker.Length)..].Trim()));
        }

        _webSocketPort.Read(line);
        _managementPort.Read(line);
    }

    /// <summary>A port the server names in its welcome text, matched by a pattern with a <c>port</c> group.</summary>
    private sealed class AnnouncedPort(string pattern, string what)
    {
        private readonly Regex _line = new(pattern, RegexOptions.CultureInvariant);
        private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Read(string line)
        {
            if (_line.Match(line) is { Success: true } match)
            {
                _port.TrySetResult(int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        public void Fail(string output) => _port.TrySetException(new InvalidOperationException($"The server ended without {what}: {output}"));

        public Task<int> WaitAsync() => _port.Task.WaitAsync(TimeSpan.FromSeconds(10));
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
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

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
