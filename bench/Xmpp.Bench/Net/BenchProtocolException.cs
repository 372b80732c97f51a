namespace Xmpp.Bench.Net;

/// <summary>The server answered something a scenario did not expect (counted as an error).</summary>
public sealed class BenchProtocolException : Exception
{
    public BenchProtocolException()
    {
    }

    public BenchProtocolException(string message)
        : base(message.Length > 600 ? message[..600] + "…" : message)
    {
    }

    public BenchProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
