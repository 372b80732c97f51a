using Xmpp.Grains.Users;

namespace Xmpp.Grains.PubSub;

/// <summary>
/// What one caps hash stands for (key: <see cref="EntityCaps.CacheKey"/>), for the whole cluster:
/// the nodes its clients want notifications of, once an account has asked one of its own clients
/// and the answer verified (XEP-0115 §5.4). Accounts that see the hash on a contact's presence wait
/// here instead of asking the contact's client themselves, so that a client is asked once.
/// </summary>
public interface IEntityCapsGrain : IGrainWithStringKey
{
    /// <summary>The nodes the hash's clients want, or null while nobody has learnt them.</summary>
    Task<string[]?> GetAsync();

    /// <summary>A verified answer for the hash: remembered, and told to the accounts waiting for it.</summary>
    Task LearnAsync(string[] notifyNodes);

    /// <summary>The account hears of the hash's nodes (<see cref="IUserGrain.CapsLearnedAsync"/>) once known, at once if they are.</summary>
    [OneWay]
    Task AwaitAsync(IUserGrain account);
}
