using Xmpp.Scansion.Running;
using Xmpp.Scansion.Scripts;
using Xunit.Abstractions;

namespace Xmpp.Scansion;

/// <summary>
/// One test per scansion script (spec/scansion/*.scs and ../shared/scansion/*.scs, spec wins),
/// each against a fresh two-silo cluster in the test process. A script in
/// spec/scansion/known-failing.txt must still fail; when it passes, its test fails until the line
/// is removed. No script is skipped.
/// </summary>
[Collection(ScansionCollection.Name)]
public sealed class ScansionScriptTests(ITestOutputHelper output) : ScriptTheory(output, processes: false)
{
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
}
