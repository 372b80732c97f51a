using System.Diagnostics;

namespace Xmpp.Tests.Shared;

/// <summary>Runs a program to its end with a deadline: exit code, standard output and standard error (shared by the test projects that run processes).</summary>
public static class ProcessRun
{
    public static async Task<(int ExitCode, string Output, string Errors)> ToEndAsync(ProcessStartInfo start, TimeSpan deadline)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in {deadline.TotalSeconds} s: {await output} {await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }
}
