using System.Diagnostics;

namespace Xmpp.EndToEnd.Tests;

/// <summary>Runs a program to its end with a deadline: exit code and output (stdout, then stderr).</summary>
internal static class ProcessRun
{
    public static async Task<(int ExitCode, string Output)> ToEndAsync(ProcessStartInfo start, TimeSpan deadline)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in {deadline.TotalSeconds} s: {await stdout} {await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
