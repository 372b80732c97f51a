using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Xmpp.Grains.Routing;

/// <summary>
/// The sessions bound on this silo by full JID. The gateway lists a session before it binds and
/// removes it when the connection ends. Grains on this silo push to a session found here by calling
/// the object itself: an in-memory enqueue instead of an Orleans message, which matters because a
/// groupchat message or a presence broadcast is one push per recipient session. This silo's
/// <see cref="SessionHub"/> hands pushes from other silos to the sessions listed here.
/// </summary>
public sealed class SessionDirectory
{
    // The newest session of each full JID (what rooms address), and every session by its observer
    // reference (what grains that bound it address: a replaced session must still get its 'conflict').
    private readonly ConcurrentDictionary<string, SessionRoute> _byJid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ISessionObserver, SessionRoute> _byReference = new();

    /// <summary>The route to the newest session bound to this full JID on this silo, if any.</summary>
    public bool TryGet(string fullJid, [NotNullWhen(true)] out SessionRoute? route) => _byJid.TryGetValue(fullJid, out route);

    /// <summary>The route to the session of this observer reference, if it is bound on this silo.</summary>
    public bool TryGet(ISessionObserver reference, [NotNullWhen(true)] out SessionRoute? route) => _byReference.TryGetValue(reference, out route);

    /// <summary>How this silo reaches the session at <paramref name="address"/>: directly when it is bound here, else through its silo's hub.</summary>
    public SessionRoute Resolve(SessionAddress address) =>
        _byReference.TryGetValue(address.Session, out var route) ? route : SessionRoute.ThroughHub(address);

    /// <summary>
    /// A session of this silo (<paramref name="hub"/> being this silo's hub) is about to bind
    /// <paramref name="fullJid"/>; it becomes the newest one of that full JID.
    /// </summary>
    public void Register(string fullJid, ISessionObserver reference, ISessionObserver session, ISessionHub hub)
    {
        var route = RegisterReference(fullJid, reference, session, hub);
        _byJid[fullJid] = route;
    }

    /// <summary>
    /// As <see cref="Register"/>, but reached by its reference only until it registers in full: a
    /// resumption (XEP-0198) that may yet fail must not hide the session of that full JID it would take over.
    /// </summary>
    public SessionRoute RegisterReference(string fullJid, ISessionObserver reference, ISessionObserver session, ISessionHub hub)
    {
        var route = SessionRoute.ToLocal(new SessionAddress(fullJid, reference, hub), session);
        _byReference[reference] = route;
        return route;
    }

    /// <summary>Forgets the session; its full JID's entry only if no newer bind has replaced it.</summary>
    public void Unregister(string fullJid, ISessionObserver reference)
    {
        if (_byReference.TryRemove(reference, out var route))
        {
            _byJid.TryRemove(new KeyValuePair<string, SessionRoute>(fullJid, route));
        }
    }
}
