namespace Xmpp.Scansion.Scripts;

/// <summary>A script that does not follow the scansion format; the message names the line.</summary>
public sealed class ScriptFormatException : Exception
{
    public ScriptFormatException()
    {
    }

    public ScriptFormatException(string message)
        : base(message)
    {
    }

    public ScriptFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScriptFormatException(string script, int line, string message, Exception? innerException = null)
        : base($"{script}:{line}: {message}", innerException)
    {
        Line = line;
    }

    public int Line { get; }
}
