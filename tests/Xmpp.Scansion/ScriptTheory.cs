using Xmpp.Scansion.Running;
using Xmpp.Scansion.Scripts;
using Xunit.Abstractions;

namespace Xmpp.Scansion;

/// <summary>The script theory, run against the in-process cluster or against server processes.</summary>
public abstract class ScriptTheory(ITestOutputHelper output, bool processes)
{
    // A whole script is a few dozen actions of at most a few seconds each.
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    public static TheoryData<string> Scripts => new(ScriptCatalog.Default.Scripts.Keys);

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script(string script)
    {
        var catalog = ScriptCatalog.Default;
        var settings = RunnerSettings.FromEnvironment();
        settings = settings with { Processes = settings.Processes || processes };
        var known = settings.Target is null ? KnownFailures.Load(catalog.KnownFailingPath).Find(script) : null;

        ScansionFailureException? failure = null;
        try
        {
            await RunAsync(catalog, settings, script);
        }
        catch (ScansionFailureException e) when (known is not null)
        {
            // Only a script that fails as a script counts: a crash of the runner or of the server
            // start is never hidden behind the list.
            failure = e;
        }

        if (known is null)
        {
            return;
        }

        if (failure is null)
        {
            Assert.Fail($"{script} passes, but known-failing.txt (line {known.Line}) says it fails ({known}): remove it from known-failing.txt");
        }

        output.WriteLine($"KNOWN FAILURE, as listed in known-failing.txt line {known.Line}: {known}");
        output.WriteLine(failure.Message);
    }

    private async Task RunAsync(ScriptCatalog catalog, RunnerSettings settings, string name)
    {
        var path = catalog.Scripts[name];
        var script = ScriptParser.ParseFile(path);
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        await using var target = await TestTarget.StartAsync(settings, catalog, path, script, timeout.Token);
        output.WriteLine($"{name} against {(target.IsExternal ? "an external server" : settings.Processes ? $"{TestTarget.Silos} server processes" : $"{TestTarget.Silos} in-process silos")} at {string.Join(", ", target.Endpoints.Select(e => $"{e.Host}:{e.Port}"))}");
        var runner = new ScriptRunner(script, target.Endpoints, settings, Log);
        await runner.RunAsync(timeout.Token);
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished (a late line from a background task): nowhere to write it.
        }
    }
}
