namespace Xmpp.Scansion.Client;

/// <summary>The server refused the client's credentials, or could not prove it knew them (SCRAM).</summary>
public sealed class AuthenticationFailedException : Exception
{
    public AuthenticationFailedException()
    {
    }

    public AuthenticationFailedException(string message)
        : base(message)
    {
    }

    public AuthenticationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
