namespace Xmpp.Grains.Routing;

/// <summary>
/// Handles stanzas addressed to a domain that is not the user domain's accounts: the server
/// itself and, in later issues, components such as the MUC and pubsub services.
/// </summary>
public interface IDomainService
{
    /// <summary>The domain this service answers for.</summary>
    string Domain { get; }

    /// <summary>Name shown in the server's disco#items ("" lists it without a name), or null to stay unlisted.</summary>
    string? DiscoName { get; }

    /// <summary>A stanza for this domain; <paramref name="sender"/> is the session that sent it, when a client did.</summary>
    void Handle(Element stanza, SessionAddress? sender);
}
