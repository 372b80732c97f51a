using Microsoft.Extensions.Logging;
using Xmpp.Grains.Users;

namespace Xmpp.Grains.Routing;

/// <summary>
/// Pushes that did not reach their session — it ended before they arrived, or its silo could not
/// be reached — go back to the session's account, which unbinds that session and handles the
/// stanzas as undeliverable (RFC 6121 §8: another resource, offline storage, an error to the
/// sender; presence is dropped). Nothing a grain pushed vanishes with only a log line.
/// </summary>
public sealed class UndeliveredPushes(IGrainFactory grains, ILogger<UndeliveredPushes> logger)
{
    public void Return(SessionPush push)
    {
        if (push.Stanzas is not { Count: > 0 } stanzas || !Jid.TryParse(push.FullJid, out var jid) || jid.Resource is null)
        {
            return;
        }

        logger.LogDebug("{Count} stanzas for {Jid} did not reach its session; back to its account", stanzas.Count, push.FullJid);
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
