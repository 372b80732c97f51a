using System.Diagnostics;
using System.Net;
using System.Text;

namespace Xmpp.Deploy.Tests;

/// <summary>A started server: its c2s and management endpoints once its welcome names them, its output, killed on dispose.</summary>
internal sealed class ServerProcess : IDisposable
{
    private const string C2sMarker = "c2s (STARTTLS)";
    private const string ManagementMarker = "Management      http://";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<IPEndPoint> _c2s = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IPEndPoint> _management = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServerProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        _process.Exited += (_, _) =>
        {
            _c2s.TrySetException(new InvalidOperationException($"The server ended without serving: {Output}"));
            _management.TrySetException(new InvalidOperationException($"The server ended without a management endpoint: {Output}"));
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Task<IPEndPoint> C2sEndpoint => _c2s.Task;

    public Task<IPEndPoint> ManagementEndpoint => _management.Task;

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

        marker = line.IndexOf(ManagementMarker, StringComparison.Ordinal);
        if (marker >= 0)
        {
            var address = line[(marker + ManagementMarker.Length)..];
            _management.TrySetResult(IPEndPoint.Parse(address[..address.IndexOf('/', StringComparison.Ordinal)]));
        }
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
