using Microsoft.Extensions.Logging;
using Xmpp.Grains.Users;

namespace Xmpp.Grains.Routing;

/// <summary>
/// This silo's <see cref="ISessionHub"/>: takes pushes from grains of other silos and hands them
/// to the sessions of its <see cref="SessionDirectory"/>. Its observer reference is made once and
/// the object lives as long as the silo, so other silos can always reach it.
/// </summary>
public sealed class SessionHub(SessionDirectory directory, IGrainFactory grains, ILogger<SessionHub> logger) : ISessionHub
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
                ReturnToAccount(push);
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

    /// <summary>The session ended before this push arrived: its account handles the stanzas as undelivered.</summary>
    private void ReturnToAccount(SessionPush push)
    {
        if (push.Stanzas is not { Count: > 0 } stanzas || !Jid.TryParse(push.FullJid, out var jid) || jid.Resource is null)
        {
            return;
        }

        logger.LogDebug("{Count} stanzas for {Jid} arrived after its session ended; back to its account", stanzas.Count, push.FullJid);
        _ = ReturnAsync(grains.GetGrain<IUserGrain>(jid.Bare.ToString()), jid.Resource, push.Session, stanzas);
    }

    private async Task ReturnAsync(IUserGrain account, string resource, ISessionObserver session, IReadOnlyList<Element> stanzas)
    {
        try
        {
            await account.UnbindAsync(resource, session, stanzas);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Count} stanzas for {Account}/{Resource} could not be handed back to it", stanzas.Count, account.GetPrimaryKeyString(), resource);
        }
    }
}
