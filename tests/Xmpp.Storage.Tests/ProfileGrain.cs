using Orleans;
using Orleans.Runtime;

namespace Xmpp.Storage.Tests;

/// <summary>State shaped as the server's grains write theirs: settable and get-only collections.</summary>
public sealed class ProfileState
{
    public string? Name { get; set; }

    public List<string> Tags { get; set; } = [];

    /// <summary>Get-only, as grain authors like to write them.</summary>
    public Dictionary<string, int> Scores { get; } = [];
}

public interface IProfileGrain : IGrainWithStringKey
{
    Task SetAsync(string name, string tag, int score);

    Task<(string? Name, string[] Tags, int Score, bool Exists)> GetAsync();

    Task ClearAsync();
}

/// <summary>A grain with one persistent state on Orleans' default grain storage: the providers as grains use them.</summary>
[GrainType("profile")]
public sealed class ProfileGrain([PersistentState("profile")] IPersistentState<ProfileState> profile) : Grain, IProfileGrain
{
    public async Task SetAsync(string name, string tag, int score)
    {
        profile.State.Name = name;
        profile.State.Tags.Add(tag);
        profile.State.Scores[tag] = score;
        await profile.WriteStateAsync();
    }

    public Task<(string? Name, string[] Tags, int Score, bool Exists)> GetAsync() =>
        Task.FromResult((profile.State.Name, profile.State.Tags.ToArray(), profile.State.Scores.Values.Sum(), profile.RecordExists));

    public Task ClearAsync() => profile.ClearStateAsync();
}
