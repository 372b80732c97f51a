using Microsoft.Extensions.Logging;

namespace Xmpp.Grains.Routing;

/// <summary>
/// Sends stanzas for account grains of other silos through those silos' relays: one ordered
/// delivery per relay, so what this silo has for all the accounts of one silo goes in one call
/// while the call before it is in flight.
/// </summary>
public sealed class UserRelaySender : IDisposable
{
    private readonly DeliveryTable<IUserRelay, Pending> _relays;

    public UserRelaySender(ILogger<UserRelaySender> logger) =>
        _relays = new(relay => new OrderedDelivery<Pending>(
            batch => RelayAsync(relay, batch),
            (batch, e) =>
            {
                logger.LogWarning(e, "Relaying stanzas for {Count} accounts to another silo failed", batch.Count);
                foreach (var pending in batch)
                {
                    pending.Outcome.TrySetException(e);
                }
            },
            sizeOf: static pending => ElementSize.Estimate(pending.Entry.Stanzas) + pending.Entry.Account.Length));

    /// <summary>
    /// Queues an account's stanzas for the relay's silo, behind what was queued there before;
    /// completes once the account's grain handled them, with what became of them.
    /// </summary>
    public Task<RelayOutcome> Send(IUserRelay relay, RelayedStanzas entry)
    {
        var pending = new Pending(entry, new TaskCompletionSource<RelayOutcome>());
        _relays.Enqueue(relay, pending);
        return pending.Outcome.Task;
    }

    public void Dispose() => _relays.Dispose();

    private static async Task RelayAsync(IUserRelay relay, IReadOnlyList<Pending> batch)
    {
        var entries = new RelayedStanzas[batch.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = batch[i].Entry;
        }

        var outcomes = await relay.RelayAsync(entries);
        for (var i = 0; i < entries.Length; i++)
        {
            batch[i].Outcome.TrySetResult(outcomes[i]);
        }
    }

    private sealed record Pending(RelayedStanzas Entry, TaskCompletionSource<RelayOutcome> Outcome);
}
