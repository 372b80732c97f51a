using System.Text;

namespace Xmpp.Scansion.Running;

/// <summary>
/// A script did not go as written. The message names the script, the line of the failing action,
/// what was wrong and, for a <c>receives</c>, the expected and the received XML.
/// </summary>
public sealed class ScansionFailureException : Exception
{
    public ScansionFailureException()
    {
    }

    public ScansionFailureException(string message)
        : base(message)
    {
    }

    public ScansionFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScansionFailureException(string script, int line, string problem, string? expected = null, string? received = null, string? notes = null, Exception? innerException = null)
        : base(Format(script, line, problem, expected, received, notes), innerException)
    {
        Script = script;
        Line = line;
        Expected = expected;
        Received = received;
    }

    public string? Script { get; }

    public int Line { get; }

    public string? Expected { get; }

    public string? Received { get; }

    private static string Format(string script, int line, string problem, string? expected, string? received, string? notes)
    {
        var text = new StringBuilder();
        text.Append(script).Append(':').Append(line).Append(": ").Append(problem);
        if (expected is not null)
        {
            text.Append("\n  expected: ").Append(expected);
        }

        if (received is not null)
        {
            text.Append("\n  received: ").Append(received);
        }

        if (!string.IsNullOrEmpty(notes))
        {
            text.Append('\n').Append(notes);
        }

        return text.ToString();
    }
}
