using Microsoft.Extensions.Logging;

namespace Xmpp.Grains.Users;

// How the batches of DeliverAsync and ProcessOutboundAsync are taken (StanzaBatch): structs, so a
// batch costs no allocation beyond its own.
public sealed partial class UserGrain
{
    /// <summary>Stanzas to this account from anyone: errors go back through the router.</summary>
    private readonly struct Inbound(UserGrain grain) : IStanzaHandler
    {
        public ILogger Logger => grain._logger;

        public Task HandleAsync(Element stanza) => grain.HandleInboundAsync(stanza);

        public void Reply(Element stanza, StanzaError error) => grain._outbox.Bounce(stanza, error);

        public void StaleState() => grain.DeactivateOnIdle();
    }

    /// <summary>Stanzas a session of this account sent: errors go straight back to that session.</summary>
    private readonly struct Outbound(UserGrain grain, UserSession session) : IStanzaHandler
    {
        public ILogger Logger => grain._logger;

        public Task HandleAsync(Element stanza) => grain.HandleOutboundAsync(session, stanza);

        public void Reply(Element stanza, StanzaError error)
        {
            if (Stanza.MayBounce(stanza))
            {
                grain._outbox.Add(session.Route, Stanza.ErrorReply(stanza, error));
            }
        }

        public void StaleState() => grain.DeactivateOnIdle();
    }
}
