using System.Collections.Concurrent;

namespace Xmpp.Grains.Routing;

/// <summary>
/// The bound sessions of this node by full JID. Written by UserGrain at bind and unbind; read by
/// fan-out paths (a room's groupchat) that push to occupants' sessions directly instead of making
/// one grain call per recipient. A later multi-node directory keeps the same shape.
/// </summary>
public sealed class SessionDirectory
{
    private readonly ConcurrentDictionary<string, ISessionObserver> _sessions = new(StringComparer.Ordinal);

    public bool TryGet(string fullJid, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ISessionObserver? session) =>
        _sessions.TryGetValue(fullJid, out session);

    internal void Register(string fullJid, ISessionObserver session) => _sessions[fullJid] = session;

    /// <summary>Removes the entry only if it still belongs to this session (a newer bind may have replaced it).</summary>
    internal void Unregister(string fullJid, ISessionObserver session) =>
        _sessions.TryRemove(new KeyValuePair<string, ISessionObserver>(fullJid, session));
}
