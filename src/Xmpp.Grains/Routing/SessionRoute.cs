namespace Xmpp.Grains.Routing;

/// <summary>
/// How the grains of this silo reach one session: the session object itself when it is bound on
/// this silo (an in-memory enqueue), else its silo's <see cref="ISessionHub"/>.
/// </summary>
public sealed class SessionRoute
{
    private SessionRoute(SessionAddress address, ISessionObserver? local)
    {
        Address = address;
        Local = local;
    }

    public SessionAddress Address { get; }

    public string FullJid => Address.FullJid;

    /// <summary>The session's observer reference: who it is, across silos and calls.</summary>
    public ISessionObserver Reference => Address.Session;

    /// <summary>The hub of the session's silo.</summary>
    public ISessionHub Hub => Address.Hub;

    /// <summary>The session object, when it is bound on this silo; null when it is reached through <see cref="Hub"/>.</summary>
    public ISessionObserver? Local { get; }

    public static SessionRoute ToLocal(SessionAddress address, ISessionObserver session) => new(address, session);

    public static SessionRoute ThroughHub(SessionAddress address) => new(address, null);
}
