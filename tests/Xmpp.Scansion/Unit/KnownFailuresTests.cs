using Xmpp.Scansion.Running;

namespace Xmpp.Scansion.Unit;

public sealed class KnownFailuresTests
{
    [Fact]
    public void ParsesLinesAndComments()
    {
        var known = KnownFailures.Parse("""
            # header comment
            muc_password.scs   3  MUC not implemented yet   # trailing comment

            pubsub_basic.scs  0  later issue (MAM/PEP/pubsub)
            """);

        var muc = known.Find("muc_password.scs")!;
        Assert.Equal((3, "MUC not implemented yet", 2), (muc.Issue, muc.Reason, muc.Line));
        Assert.Equal("later issue (MAM/PEP/pubsub)", known.Find("pubsub_basic.scs")!.Reason);
        Assert.Null(known.Find("basic.scs"));
        Assert.Equal(2, known.Entries.Count);
    }

    [Fact]
    public void RejectsMalformedAndDuplicateLines()
    {
        Assert.Throws<FormatException>(() => KnownFailures.Parse("basic.scs\n"));
        Assert.Throws<FormatException>(() => KnownFailures.Parse("basic.scs three reason\n"));
        Assert.Throws<FormatException>(() => KnownFailures.Parse("a.scs 1 x\na.scs 2 y\n"));
    }

    [Fact]
    public void TheRepositoryListParses()
    {
        // Load throws on a malformed line; an empty list (every script passes) is a valid one.
        var known = KnownFailures.Load(ScriptCatalog.Default.KnownFailingPath);
        Assert.All(known.Entries, entry => Assert.EndsWith(".scs", entry.Script, StringComparison.Ordinal));
    }
}
