using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests.Grains;

public sealed class ProfileState
{
    public string? Name { get; set; }

    public List<string> Tags { get; set; } = [];

    public Dictionary<string, int> Scores { get; set; } = [];

    /// <summary>Get-only, as grain authors like to write them.</summary>
    public Dictionary<string, Contact> Contacts { get; } = [];
}

public sealed record Contact(string Jid, string? Name, IReadOnlyList<string> Groups);

public sealed class CounterState
{
    public int Value { get; set; }
}

public interface IStateGrain : IGrainWithStringKey
{
    Task<string?> GetNameAsync();

    Task SetNameAsync(string name);

    Task<ProfileState> GetProfileAsync();

    Task SetProfileAsync(ProfileState value);

    Task<(bool Exists, string? Etag)> GetRecordAsync();

    Task ClearAsync();

    Task RereadAsync();

    Task<int> IncrementCounterAsync();
}

public sealed class StateGrain(
    [PersistentState("profile")] IPersistentState<ProfileState> profile,
    [PersistentState("counter")] IPersistentState<CounterState> counter,
    Probe probe) : Grain, IStateGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.StateSeenOnActivate.Enqueue(profile.State.Name);
        Probe.Increment(probe.Activated, GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Deactivations.Enqueue((GetPrimaryKeyString(), reason));
        return Task.CompletedTask;
    }

    public Task<string?> GetNameAsync() => Task.FromResult(profile.State.Name);

    public async Task SetNameAsync(string name)
    {
        profile.State.Name = name;
        await profile.WriteStateAsync();
    }

    public Task<ProfileState> GetProfileAsync() => Task.FromResult(profile.State);

    public async Task SetProfileAsync(ProfileState value)
    {
        profile.State = value;
        await profile.WriteStateAsync();
    }

    public Task<(bool Exists, string? Etag)> GetRecordAsync() => Task.FromResult((profile.RecordExists, profile.Etag));

    public Task ClearAsync() => profile.ClearStateAsync();

    public Task RereadAsync() => profile.ReadStateAsync();

    public async Task<int> IncrementCounterAsync()
    {
        counter.State.Value++;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }
}
