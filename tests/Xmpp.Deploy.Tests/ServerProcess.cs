using System.Diagnostics;
using System.Net;

namespace Xmpp.Deploy.Tests;

/// <summary>A started server: its c2s and management endpoints once its welcome names them, its output, killed on dispose.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ServerWelcome _welcome;

    public ServerProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = Process.Start(start)!;
        _welcome = new ServerWelcome(_process);
    }

    public Task<IPEndPoint> C2sEndpoint => _welcome.C2sEndpoint;

    public Task<IPEndPoint> ManagementEndpoint => _welcome.ManagementEndpoint;

    public string Output => _welcome.Output;

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
