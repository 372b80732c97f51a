namespace Xmpp.Grains.Routing;

/// <summary>
/// This silo's <see cref="ISessionHub"/>: takes pushes from grains of other silos and hands them
/// to the sessions of its <see cref="SessionDirectory"/>. Its observer reference is made once and
/// the object lives as long as the silo, so other silos can always reach it.
/// </summary>
public sealed class SessionHub(SessionDirectory directory, IGrainFactory grains, UndeliveredPushes undelivered) : ISessionHub
{
    private ISessionHub? _reference;

    /// <summary>The reference other silos call; the gateway gives it to the grains its sessions bind with.</summary>
    public ISessionHub Reference => _reference ??= grains.CreateObjectReference<ISessionHub>(this);

    public Task PushAsync(IReadOnlyList<SessionPush> pushes)
    {
        ArgumentNullException.ThrowIfNull(pushes);
        foreach (var push in pushes)
        {
            if (!directory.TryGet(push.Session, out var route))
            {
                undelivered.Return(push); // the session ended before this push arrived
                continue;
            }

            if (push.Stanzas is { } stanzas)
            {
                _ = route.Local!.SendAsync(stanzas);
            }

            if (push.Close is { } error)
            {
                _ = route.Local!.CloseAsync(error);
            }
        }

        return Task.CompletedTask;
    }

    public Task<SessionHandOver> HandOverAsync(ISessionObserver session, string resumptionId, uint acknowledged) =>
        directory.TryGet(session, out var route) ? route.Local!.HandOverAsync(resumptionId, acknowledged) : Task.FromResult(SessionHandOver.NotFound);
}
