using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// A service the tests run as a real process (Azurite, Redis) on a loopback port: started, waited
/// for until it accepts connections, killed with its children on dispose.
/// </summary>
public sealed class LoopbackServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;

    private LoopbackServiceProcess(Process process) => _process = process;

    /// <param name="installHint">How to get the program when it is missing (named in the failure).</param>
    public static async Task<LoopbackServiceProcess> StartAsync(string program, IEnumerable<string> arguments, int port, string installHint)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed: {installHint}", e);
        }

        // Read its output so a chatty service never blocks on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new LoopbackServiceProcess(process);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return service;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch
            {
                await service.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops it; again is a no-op (a test may stop it early to simulate an outage).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
