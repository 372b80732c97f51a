using Xmpp.Scansion.Running;
using Xmpp.Scansion.Scripts;
using Xunit.Abstractions;

namespace Xmpp.Scansion;

/// <summary>
/// One test per scansion script (spec/scansion/*.scs and ../shared/scansion/*.scs, spec wins),
/// each against a fresh server. A script in spec/scansion/known-failing.txt must still fail; when
/// it passes, its test fails until the line is removed. No script is skipped.
/// </summary>
[Collection(ScansionCollection.Name)]
public sealed class ScansionScriptTests(ITestOutputHelper output)
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

    [Fact]
    public void KnownFailingEntriesNameExistingScripts()
    {
        // The list may name scripts that only ../shared/scansion holds; a clone without it (a
        // newcomer's) cannot tell those from typos, so it checks only what it can see.
        var catalog = ScriptCatalog.Default;
        var known = KnownFailures.Load(catalog.KnownFailingPath);
        var missing = known.Entries
            .Where(e => !catalog.Scripts.ContainsKey(e.Script))
            .Where(_ => Directory.Exists(catalog.SharedDirectory))
            .Select(e => $"line {e.Line}: {e.Script}")
            .ToList();
        Assert.True(missing.Count == 0, $"known-failing.txt names scripts that do not exist: {string.Join("; ", missing)}");
    }

    [Fact]
    public void TheDesignBriefScriptsAreInTheRepository()
    {
        var catalog = ScriptCatalog.Default;
        foreach (var name in new[] { "blocking.scs", "muc_presence_probe.scs", "muc_create_destroy.scs", "muc_show_offline.scs", "muc_members_only_change.scs" })
        {
            Assert.True(File.Exists(Path.Combine(catalog.SpecDirectory, name)), $"spec/scansion/{name} is missing");
        }
    }

    private async Task RunAsync(ScriptCatalog catalog, RunnerSettings settings, string name)
    {
        var path = catalog.Scripts[name];
        var script = ScriptParser.ParseFile(path);
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        await using var target = await TestTarget.StartAsync(settings, catalog, path, script, timeout.Token);
        output.WriteLine($"{name} against {(target.IsExternal ? "an external server" : $"{TestTarget.Silos} in-process silos")} at {string.Join(", ", target.Endpoints.Select(e => $"{e.Host}:{e.Port}"))}");
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
