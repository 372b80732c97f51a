using Microsoft.Extensions.Logging;
using Xmpp.Grains.Users;

namespace Xmpp.Grains.Routing;

/// <summary>
/// This silo's <see cref="IUserRelay"/>: calls the account grains for other silos, within this
/// silo. Its observer reference is made once, as the silo starts (Orleans makes none from within
/// a grain, and the grains answer with it), and the object lives as long as the silo.
/// </summary>
public sealed class UserRelay(IGrainFactory grains, ILogger<UserRelay> logger) : IUserRelay, ILifecycleParticipant<ISiloLifecycle>
{
    private IUserRelay? _reference;

    /// <summary>The reference other silos call; this silo's account grains answer each delivery with it.</summary>
    public IUserRelay Reference => _reference ?? throw new InvalidOperationException("The silo has not started");

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(UserRelay), ServiceLifecycleStage.RuntimeGrainServices, _ =>
        {
            _reference = grains.CreateObjectReference<IUserRelay>(this);
            return Task.CompletedTask;
        });
    }

    public async Task<RelayOutcome[]> RelayAsync(IReadOnlyList<RelayedStanzas> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);

        // All accounts at once: a sender's stanzas for one account are in one entry, in order.
        var calls = new Task<IUserRelay>[entries.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = grains.GetGrain<IUserGrain>(entries[i].Account).DeliverAndLocateAsync(entries[i].Stanzas);
        }

        var outcomes = new RelayOutcome[calls.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            try
            {
                outcomes[i] = (await calls[i]).Equals(Reference) ? RelayOutcome.Delivered : RelayOutcome.DeliveredElsewhere;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Relaying {Count} stanzas to {Account} failed", entries[i].Stanzas.Count, entries[i].Account);
                outcomes[i] = RelayOutcome.Failed;
            }
        }

        return outcomes;
    }
}
