using System.Collections.Concurrent;

namespace Xmpp.Grains.PubSub;

/// <summary>
/// The nodes each verified caps hash asks notifications of (XEP-0115 §5.4: a verified hash stands
/// for the same features everywhere), shared by the account grains of this silo, so that a client
/// is asked once per hash, not once per login. Bounded: past <see cref="Capacity"/> hashes, new
/// ones are no longer kept and their clients are asked again at each login.
/// </summary>
public sealed class EntityCapsCache
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _notify = new(StringComparer.Ordinal);

    public bool TryGet(EntityCaps caps, out IReadOnlySet<string> notifyNodes) =>
        _notify.TryGetValue(caps.CacheKey, out notifyNodes!);

    public void Add(EntityCaps caps, IReadOnlySet<string> notifyNodes)
    {
        if (_notify.Count < Capacity)
        {
            _notify.TryAdd(caps.CacheKey, notifyNodes);
        }
    }
}
