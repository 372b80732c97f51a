namespace Xmpp.Scansion.Client;

/// <summary>Why a receive returned no stanza.</summary>
public enum ReceiveOutcome
{
    Stanza,
    TimedOut,

    /// <summary>The connection ended (server closed it, or the reader failed) with nothing left to read.</summary>
    Closed,
}
