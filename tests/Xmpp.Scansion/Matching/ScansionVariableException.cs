namespace Xmpp.Scansion.Matching;

/// <summary>A <c>${…}</c> in a script that names no client JID and no captured value.</summary>
public sealed class ScansionVariableException : Exception
{
    public ScansionVariableException()
    {
    }

    public ScansionVariableException(string message)
        : base(message)
    {
    }

    public ScansionVariableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
