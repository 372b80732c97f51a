namespace Xmpp.Scansion.Running;

/// <summary>A line of <c>spec/scansion/known-failing.txt</c>: a script expected to fail, and the issue that tracks it (0 when none yet).</summary>
public sealed record KnownFailure(string Script, int Issue, string Reason, int Line)
{
    public override string ToString() => Issue > 0 ? $"{Script} (issue #{Issue}: {Reason})" : $"{Script} ({Reason})";
}
