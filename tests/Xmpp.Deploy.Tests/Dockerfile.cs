using System.Text.Json;

namespace Xmpp.Deploy.Tests;

/// <summary>
/// What infra/Dockerfile says, read from the file itself so that the tests follow it: the publish
/// command of its build stage, the settings it gives the server (ENV), its working folder and entry point.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<string> publish, IReadOnlyDictionary<string, string> environment, string workingFolder, IReadOnlyList<string> entryPoint)
    {
        Publish = publish;
        Environment = environment;
        WorkingFolder = workingFolder;
        EntryPoint = entryPoint;
    }

    /// <summary>The words of the build stage's <c>RUN dotnet publish …</c>.</summary>
    public IReadOnlyList<string> Publish { get; }

    /// <summary>The final stage's <c>ENV NAME=value</c> lines.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The final stage's <c>WORKDIR</c>, where the published files are copied.</summary>
    public string WorkingFolder { get; }

    /// <summary>The exec form of <c>ENTRYPOINT</c>.</summary>
    public IReadOnlyList<string> EntryPoint { get; }

    public static Dockerfile Read(string path)
    {
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.DoesNotContain(lines, l => l.EndsWith('\\')); // one instruction per line keeps this reading honest

        var finalStage = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var publish = lines.Single(l => l.StartsWith("RUN dotnet publish ", StringComparison.Ordinal))["RUN ".Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(finalStage).Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)))
        {
            var pair = line["ENV ".Length..].Trim();
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0 && !pair.Contains(' ', StringComparison.Ordinal), $"Expected ENV NAME=value, one a line: {line}");
            environment[pair[..equals]] = pair[(equals + 1)..];
        }

        var workingFolder = lines.Skip(finalStage).Last(l => l.StartsWith("WORKDIR ", StringComparison.Ordinal))["WORKDIR ".Length..].Trim();
        var entryPoint = JsonSerializer.Deserialize<string[]>(lines.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))["ENTRYPOINT ".Length..])!;
        return new Dockerfile(publish, environment, workingFolder, entryPoint);
    }
}
