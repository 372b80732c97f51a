using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Xmpp.Tests.Shared;

/// <summary>
/// What a started Xmpp.Server process writes, read as it writes it (shared by the test projects
/// that run the server): all of it, for failure messages, and the endpoints its welcome text
/// (ServerProgram.PrintWelcome) names. Each endpoint fails with the output should the server end
/// without naming it.
/// </summary>
public sealed class ServerWelcome
{
    private const string C2sMarker = "c2s (STARTTLS)";

    // The WebSocket and management lines come only when those endpoints are on.
    private static readonly Regex WebSocketLine = new(@"ws://[^:/\s]+:(?<port>\d+)/xmpp-websocket", RegexOptions.CultureInvariant);
    private static readonly Regex ManagementLine = new(@"Management +http://(?<endpoint>[^\s/]+)/healthz", RegexOptions.CultureInvariant);

    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<IPEndPoint> _c2s = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _webSocketPort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IPEndPoint> _management = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts reading <paramref name="process"/>, started with its standard output and error redirected.</summary>
    public ServerWelcome(Process process)
    {
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Exited += (_, _) =>
        {
            _c2s.TrySetException(new InvalidOperationException($"The server ended without serving: {Output}"));
            _webSocketPort.TrySetException(new InvalidOperationException($"The server ended without a WebSocket endpoint: {Output}"));
            _management.TrySetException(new InvalidOperationException($"The server ended without a management endpoint: {Output}"));
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Task<IPEndPoint> C2sEndpoint => _c2s.Task;

    /// <summary>The WebSocket endpoint's port (its line names the server's domain, not an address).</summary>
    public Task<int> WebSocketPort => _webSocketPort.Task;

    public Task<IPEndPoint> ManagementEndpoint => _management.Task;

    /// <summary>What the server wrote so far.</summary>
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

    private void Read(string? line)
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

        if (WebSocketLine.Match(line) is { Success: true } webSocket)
        {
            _webSocketPort.TrySetResult(int.Parse(webSocket.Groups["port"].Value, CultureInfo.InvariantCulture));
        }

        if (ManagementLine.Match(line) is { Success: true } management)
        {
            _management.TrySetResult(IPEndPoint.Parse(management.Groups["endpoint"].Value));
        }
    }
}
