using System.Collections.Concurrent;
using System.Net;

namespace Xmpp.Gateway;

/// <summary>
/// A throttle's state per remote address (<see cref="Sasl.AuthThrottle"/>,
/// <see cref="Registration.RegistrationThrottle"/>): bounded by <see cref="MaxTrackedAddresses"/>,
/// and swept of the entries whose window is over. The throttle locks an entry to change it; the
/// sweep locks it to judge it.
/// </summary>
internal sealed class AddressTable<TEntry>(Func<TEntry, DateTimeOffset, bool> isOver)
    where TEntry : class
{
    // Bounds the table against an attacker with many addresses; what a throttle does at the
    // bound is its own policy.
    public const int MaxTrackedAddresses = 100_000;

    private readonly ConcurrentDictionary<IPAddress, TEntry> _entries = new();

    public bool IsFull => _entries.Count >= MaxTrackedAddresses;

    public bool TryGet(IPAddress address, [MaybeNullWhen(false)] out TEntry entry) => _entries.TryGetValue(address, out entry);

    public TEntry GetOrAdd(IPAddress address, Func<TEntry> create) => _entries.GetOrAdd(address, static (_, create) => create(), create);

    /// <summary>Forgets the addresses whose window is over at <paramref name="now"/>.</summary>
    public void Sweep(DateTimeOffset now)
    {
        foreach (var (address, entry) in _entries)
        {
            bool over;
            lock (entry)
            {
                over = isOver(entry, now);
            }

            if (over)
            {
                // Only this entry: one added since the enumeration read it stays.
                _entries.TryRemove(KeyValuePair.Create(address, entry));
            }
        }
    }
}
