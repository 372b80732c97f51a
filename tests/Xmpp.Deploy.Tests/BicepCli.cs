using System.Diagnostics;

namespace Xmpp.Deploy.Tests;

/// <summary>The Bicep CLI from the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>.</summary>
internal static class BicepCli
{
    private static readonly Lazy<string> Executable = new(MakeExecutable);

    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value) { WorkingDirectory = Repository.Infra };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ProcessRun.ToEndAsync(start, TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// A package cache extracted by other means than NuGet's may have lost the file's execute bit:
    /// set it rather than fail on a permission.
    /// </summary>
    private static string MakeExecutable()
    {
        var path = Repository.BicepPath;
        Assert.True(File.Exists(path), $"The Bicep CLI is not at {path}: restore the Azure.Bicep.CommandLine.linux-x64 package.");
        if (OperatingSystem.IsLinux() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }
}
