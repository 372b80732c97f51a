using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Xmpp.Grains.Routing;

/// <summary>
/// The sessions bound on this silo by full JID: the gateway's session objects beside the observer
/// references grains keep for them. The gateway registers a session before it binds and removes
/// it when the connection ends. Grains on this silo push to a session found here by calling the
/// object itself: the push is an in-memory enqueue instead of an Orleans message, which matters
/// because a groupchat message or a presence broadcast is one push per recipient session. A
/// session of another silo is not here and is reached through its observer reference.
/// </summary>
public sealed class SessionDirectory
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    /// <summary>The session object bound to this full JID on this silo, if any.</summary>
    public bool TryGet(string fullJid, [NotNullWhen(true)] out ISessionObserver? session)
    {
        if (_sessions.TryGetValue(fullJid, out var entry))
        {
            session = entry.Session;
            return true;
        }

        session = null;
        return false;
    }

    /// <summary>
    /// Where pushes for <paramref name="reference"/> should go: the session object when that
    /// reference belongs to a session of this silo, else the reference itself (an Orleans call).
    /// </summary>
    public ISessionObserver Resolve(string fullJid, ISessionObserver reference) =>
        _sessions.TryGetValue(fullJid, out var entry) && entry.Reference.Equals(reference) ? entry.Session : reference;

    /// <summary>A session of this silo is about to bind <paramref name="fullJid"/>; a newer bind of the same full JID replaces an older one.</summary>
    public void Register(string fullJid, ISessionObserver reference, ISessionObserver session) =>
        _sessions[fullJid] = new Entry(reference, session);

    /// <summary>Removes the entry only if it still belongs to this session (a newer bind may have replaced it).</summary>
    public void Unregister(string fullJid, ISessionObserver reference)
    {
        if (_sessions.TryGetValue(fullJid, out var entry) && entry.Reference.Equals(reference))
        {
            _sessions.TryRemove(new KeyValuePair<string, Entry>(fullJid, entry));
        }
    }

    private sealed record Entry(ISessionObserver Reference, ISessionObserver Session);
}
