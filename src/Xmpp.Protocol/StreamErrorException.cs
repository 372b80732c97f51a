namespace Xmpp.Protocol;

/// <summary>Thrown where a stream must end with the given error (the parser, negotiation, limits).</summary>
public sealed class StreamErrorException(StreamError error) : Exception(error.ToString())
{
    public StreamErrorException(string condition, string? text = null)
        : this(new StreamError(condition, text))
    {
    }

    public StreamError Error { get; } = error;
}
