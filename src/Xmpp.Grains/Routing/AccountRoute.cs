using Xmpp.Grains.Users;

namespace Xmpp.Grains.Routing;

/// <summary>
/// How this silo hands stanzas to one account's grain: a direct call while the grain is here or
/// its silo unknown, and through that silo's <see cref="IUserRelay"/> once a delivery showed it on
/// another silo. Called by the account's <see cref="OrderedDelivery{T}"/>, one batch at a time,
/// each completing only once the grain handled it, so switching between the two ways never
/// reorders stanzas.
/// </summary>
internal sealed class AccountRoute(string account, IUserGrain grain, UserRelay localRelay, UserRelaySender relays)
{
    // The relay of the silo where the grain answered last, when that is another silo.
    private volatile IUserRelay? _remote;

    // The grain answered from this silo: calls go straight to it without waiting for the answer's
    // relay (one allocation less per call). Should it move meanwhile, the calls still reach it,
    // unbatched, until this route is dropped after a quiet sweep period and asks again.
    private bool _here;

    /// <summary>
    /// True while stanzas go through a relay: handing them to it is no grain call, so the account's
    /// delivery may start within the sending grain's turn, and what a turn sends to the accounts of
    /// one silo (a presence broadcast) leaves in one relay call.
    /// </summary>
    public bool GoesThroughRelay => _remote is not null;

    public Task DeliverAsync(IReadOnlyList<Element> stanzas) =>
        _remote is { } relay ? RelayAsync(relay, stanzas)
        : _here ? grain.DeliverAsync(stanzas)
        : DeliverAndLocateAsync(stanzas);

    private async Task DeliverAndLocateAsync(IReadOnlyList<Element> stanzas)
    {
        var at = await grain.DeliverAndLocateAsync(stanzas).ConfigureAwait(false);
        if (at.Equals(localRelay.Reference))
        {
            _here = true;
        }
        else
        {
            _remote = at;
        }
    }

    private async Task RelayAsync(IUserRelay relay, IReadOnlyList<Element> stanzas)
    {
        RelayOutcome outcome;
        try
        {
            outcome = await relays.Send(relay, new RelayedStanzas(account, stanzas)).ConfigureAwait(false);
        }
        catch
        {
            _remote = null; // that silo may be gone: ask the grain directly next time
            throw;
        }

        if (outcome != RelayOutcome.Delivered)
        {
            _remote = null;
        }

        if (outcome == RelayOutcome.Failed)
        {
            throw new OrleansException($"Relaying to {account} failed on the grain's silo");
        }
    }
}
