using Xmpp.Grains.Users;

namespace Xmpp.Grains.Routing;

/// <summary>
/// One per silo, an Orleans observer like the <see cref="ISessionHub"/>: how other silos hand
/// stanzas to the account grains activated on this one, batched. A silo that has learnt where an
/// account's grain lives (<see cref="IUserGrain.DeliverAndLocateAsync"/> answers with its silo's relay)
/// sends what it has for all the accounts of that silo in one call at a time
/// (<see cref="UserRelaySender"/>), so a presence broadcast to contacts on K silos costs K
/// cross-silo calls, not one per contact.
/// </summary>
public interface IUserRelay : IGrainObserver
{
    /// <summary>
    /// Hands each entry to its account's grain and completes when all were handled, with one
    /// outcome per entry, in order. Relays from several silos run side by side (an observer's calls
    /// otherwise run one at a time): each waits only for its own accounts.
    /// </summary>
    [AlwaysInterleave]
    Task<RelayOutcome[]> RelayAsync([Immutable] IReadOnlyList<RelayedStanzas> entries);
}

/// <summary>What became of one <see cref="RelayedStanzas"/> entry.</summary>
[GenerateSerializer]
public enum RelayOutcome : byte
{
    /// <summary>Handled by the account's grain, on the relay's silo.</summary>
    Delivered,

    /// <summary>Handled, but the grain lives on another silo now: the sender stops relaying it there.</summary>
    DeliveredElsewhere,

    /// <summary>The grain call failed: the sender bounces the stanzas.</summary>
    Failed,
}
