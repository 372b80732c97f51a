using System.Diagnostics;
using System.Text;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium, headless, showing one page in a profile of its own; killed with its
/// helper processes on dispose. Its stderr (with the page's console, --enable-logging) is kept
/// for failure messages.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly StringBuilder _log = new();

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static HeadlessChromium Open(string chromium, Uri page)
    {
        var profile = Path.Combine(Path.GetTempPath(), "xmpp-e2e-chromium", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments =
        [
            "--headless=new",
            "--no-sandbox", // CI runs as root, where Chromium's sandbox refuses to start
            "--disable-gpu",
            "--disable-dev-shm-usage", // containers' /dev/shm is small
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking", // nothing but the test's own loopback traffic
            "--disable-component-update",
            "--disable-sync",
            $"--user-data-dir={profile}", // fresh storage: Converse starts as on a new device
            "--enable-logging=stderr",
            "--v=0",
            page.ToString(),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new HeadlessChromium(Process.Start(start)!, profile);
    }

    /// <summary>What Chromium wrote, for failure messages (the page's console lines included).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        // D-Bus and GPU complaints of a machine without a desktop say nothing about the page.
        if (line is null || line.Contains("dbus", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        lock (_log)
        {
            _log.Append(line).Append('\n');
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
