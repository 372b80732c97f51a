namespace Xmpp.Scansion.Client;

public enum ClientState
{
    NotConnected,
    Connected,
    Disconnected,
}
