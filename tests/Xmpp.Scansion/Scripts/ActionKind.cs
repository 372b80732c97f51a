namespace Xmpp.Scansion.Scripts;

/// <summary>What a script line makes a client do.</summary>
public enum ActionKind
{
    Connect,
    Disconnect,
    Send,
    Receive,

    /// <summary><c>receives: nothing</c>: passes when no stanza arrives within the wait.</summary>
    ReceiveNothing,
}
