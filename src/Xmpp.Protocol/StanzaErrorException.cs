namespace Xmpp.Protocol;

/// <summary>
/// Thrown by a handler that refuses a stanza; the dispatcher turns it into the error reply, so a
/// handler's checks read as straight-line code.
/// </summary>
public sealed class StanzaErrorException(StanzaError error) : Exception(error.ToString())
{
    public StanzaError Error { get; } = error;
}
