using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Xmpp.Grains.Muc;

/// <summary>
/// The rooms of this silo, for the meter <see cref="MeterName"/> (exported by the server's
/// <c>/metrics</c> as <c>xmpp_muc_rooms</c> and <c>xmpp_muc_occupants</c>). Rooms are counted where
/// they are active, so the cluster's figures are the sum over its silos. Read when metrics are
/// collected, from the rooms' own counts: joins and departures cost nothing extra.
/// </summary>
public sealed class MucMetrics
{
    public const string MeterName = "Xmpp.Muc";

    private readonly ConcurrentDictionary<RoomGrain, byte> _rooms = new(ReferenceEqualityComparer.Instance);

    public MucMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter("xmpp.muc.rooms", CountRooms, "{room}", "Existing rooms active on this server");
        meter.CreateObservableUpDownCounter("xmpp.muc.occupants", CountOccupants, "{occupant}", "Occupants of the rooms active on this server");
    }

    internal void Activated(RoomGrain room) => _rooms.TryAdd(room, 0);

    internal void Deactivated(RoomGrain room) => _rooms.TryRemove(room, out _);

    // A room's figures are read off its turn: a count a moment old is what a gauge shows anyway.
    private int CountRooms() => _rooms.Keys.Count(r => r.Exists);

    private long CountOccupants() => _rooms.Keys.Sum(r => (long)r.OccupantCount);
}
