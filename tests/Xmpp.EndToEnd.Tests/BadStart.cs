namespace Xmpp.EndToEnd.Tests;

/// <summary>What an operator sees when a start cannot work: a non-zero exit and one line that names the cause.</summary>
internal static class BadStart
{
    public static void AssertOneLine(int exitCode, string output, string expectedStart)
    {
        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"Expected one line, got:\n{output}");
        Assert.StartsWith(expectedStart, lines[0], StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [A-Z][\w.`]+\.[\w<>`]+\(", output); // no stack trace
    }
}
