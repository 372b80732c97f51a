using Xmpp.Grains.Users;

namespace Xmpp.Grains.PubSub;

/// <summary>
/// One caps hash, in memory (as Prosody keeps its hash map): lost with the activation, and then
/// learnt again from the next client that announces it. Stays active while accounts wait.
/// </summary>
[GrainType("caps")]
public sealed class EntityCapsGrain : Grain, IEntityCapsGrain
{
    /// <summary>At most this many accounts wait for one hash; more are not told and learn it from their own clients.</summary>
    public const int MaxWaiting = 10_000;

    private string[]? _notifyNodes;
    private List<IUserGrain>? _waiting;

    public Task<string[]?> GetAsync() => Task.FromResult(_notifyNodes);

    public Task LearnAsync(string[] notifyNodes)
    {
        if (_notifyNodes is null)
        {
            _notifyNodes = notifyNodes;
            foreach (var account in _waiting ?? [])
            {
                _ = account.CapsLearnedAsync(this.GetPrimaryKeyString(), notifyNodes);
            }

            _waiting = null;
            DelayDeactivation(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    public Task AwaitAsync(IUserGrain account)
    {
        if (_notifyNodes is not null)
        {
            _ = account.CapsLearnedAsync(this.GetPrimaryKeyString(), _notifyNodes);
        }
        else if ((_waiting ??= []).Count < MaxWaiting)
        {
            _waiting.Add(account);
            DelayDeactivation(TimeSpan.FromMinutes(10)); // the waiting accounts are in memory only
        }

        return Task.CompletedTask;
    }
}
