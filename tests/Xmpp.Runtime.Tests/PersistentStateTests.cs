using System.Text;
using System.Text.Json;
using Xmpp.Runtime.Internal;
using Xmpp.Runtime.Storage;
using Xmpp.Runtime.Tests.Grains;
using Xmpp.Runtime.Tests.Support;

namespace Xmpp.Runtime.Tests;

public sealed class PersistentStateTests
{
    private static readonly GrainStateId AliceProfile = new("state", "alice", "profile");

    [Fact]
    public async Task State_is_read_before_OnActivateAsync_and_the_first_turn()
    {
        var storage = new InMemoryGrainStorage();
        var etag = await storage.WriteAsync(AliceProfile, Encoding.UTF8.GetBytes("""{"Name":"Alice","Tags":["a"]}"""), null);
        await using var silo = new TestSilo(storage: storage);

        var grain = silo.Factory.GetGrain<IStateGrain>("alice");
        Assert.Equal("Alice", await grain.GetNameAsync());
        Assert.Equal(["Alice"], silo.Probe.StateSeenOnActivate);
        Assert.Equal((true, etag), await grain.GetRecordAsync());
    }

    [Fact]
    public async Task A_missing_record_gives_a_new_state_without_etag()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<IStateGrain>("nobody");
        Assert.Null(await grain.GetNameAsync());
        Assert.Equal((false, null), await grain.GetRecordAsync());
        Assert.Equal([null], silo.Probe.StateSeenOnActivate);
    }

    [Fact]
    public async Task Writes_round_trip_collections_and_dictionaries_and_update_the_etag()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<IStateGrain>("bob");
        var profile = new ProfileState { Name = "Bob", Tags = ["x", "y"], Scores = new() { ["chess"] = 3, ["go"] = 5 } };

        await grain.SetProfileAsync(profile);
        var (exists, firstEtag) = await grain.GetRecordAsync();
        Assert.True(exists);
        Assert.NotNull(firstEtag);

        await grain.SetNameAsync("Robert");
        var (_, secondEtag) = await grain.GetRecordAsync();
        Assert.NotEqual(firstEtag, secondEtag);

        var stored = await silo.Storage.ReadAsync(new GrainStateId("state", "bob", "profile"));
        var decoded = JsonSerializer.Deserialize<ProfileState>(stored!.Data.Span)!;
        Assert.Equal("Robert", decoded.Name);
        Assert.Equal(["x", "y"], decoded.Tags);
        Assert.Equal(5, decoded.Scores["go"]);
        Assert.Equal(secondEtag, stored.Etag);
    }

    [Fact]
    public async Task Get_only_collections_and_records_survive_a_reactivation()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<IStateGrain>("erin");
        var profile = new ProfileState { Name = "Erin" };
        profile.Contacts["bob@localhost"] = new Contact("bob@localhost", "Bob", ["Friends", "Work"]);
        await grain.SetProfileAsync(profile);

        await silo.Runtime.StopAsync();
        await using var restarted = new TestSilo(storage: silo.Storage);
        var reread = await restarted.Factory.GetGrain<IStateGrain>("erin").GetProfileAsync();

        Assert.Equal("Erin", reread.Name);
        var bob = Assert.Single(reread.Contacts).Value;
        Assert.Equal("Bob", bob.Name);
        Assert.Equal(["Friends", "Work"], bob.Groups);
    }

    [Fact]
    public async Task Each_named_state_is_its_own_record()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<IStateGrain>("carol");
        await grain.SetNameAsync("Carol");
        Assert.Equal(1, await grain.IncrementCounterAsync());
        Assert.Equal(2, await grain.IncrementCounterAsync());

        Assert.NotNull(await silo.Storage.ReadAsync(new GrainStateId("state", "carol", "profile")));
        var counter = await silo.Storage.ReadAsync(new GrainStateId("state", "carol", "counter"));
        Assert.Equal(2, JsonSerializer.Deserialize<CounterState>(counter!.Data.Span)!.Value);
    }

    [Fact]
    public async Task Two_activations_of_one_record_on_two_runtimes_conflict_instead_of_overwriting()
    {
        // Two silos over one store stand for two nodes that both activated the grain.
        var storage = new InMemoryGrainStorage();
        await using var first = new TestSilo(storage: storage);
        await using var second = new TestSilo(storage: storage);
        var one = first.Factory.GetGrain<IStateGrain>("shared");
        var two = second.Factory.GetGrain<IStateGrain>("shared");
        Assert.Null(await one.GetNameAsync());
        Assert.Null(await two.GetNameAsync());

        await one.SetNameAsync("one");
        await Assert.ThrowsAsync<InconsistentStateException>(() => two.SetNameAsync("two"));

        var stored = await storage.ReadAsync(new GrainStateId("state", "shared", "profile"));
        Assert.Equal("one", JsonSerializer.Deserialize<ProfileState>(stored!.Data.Span)!.Name);

        // After re-reading, the second writer may write.
        await two.RereadAsync();
        Assert.Equal("one", await two.GetNameAsync());
        await two.SetNameAsync("two");
        await Assert.ThrowsAsync<InconsistentStateException>(() => one.SetNameAsync("one again"));
    }

    [Fact]
    public async Task Concurrent_writers_of_one_record_exactly_one_wins()
    {
        var storage = new InMemoryGrainStorage();
        var options = new JsonSerializerOptions();
        var states = Enumerable.Range(0, 10).Select(_ => new PersistentState<CounterState>(storage, AliceProfile, options)).ToArray();
        foreach (var state in states)
        {
            await state.ReadStateAsync();
        }

        var writes = states.Select((s, i) => Task.Run(async () =>
        {
            s.State.Value = i;
            await s.WriteStateAsync();
        })).ToArray();
        var outcome = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcome.Count(won => won));
    }

    [Fact]
    public async Task Clear_resets_the_state_and_deletes_the_record()
    {
        await using var silo = new TestSilo();
        var grain = silo.Factory.GetGrain<IStateGrain>("dave");
        await grain.SetNameAsync("Dave");
        await grain.ClearAsync();

        Assert.Null(await grain.GetNameAsync());
        Assert.Equal((false, null), await grain.GetRecordAsync());
        Assert.Null(await silo.Storage.ReadAsync(new GrainStateId("state", "dave", "profile")));

        await grain.SetNameAsync("Dave again");
        Assert.Equal("Dave again", await grain.GetNameAsync());
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_conflicts()
    {
        var storage = new InMemoryGrainStorage();
        var options = new JsonSerializerOptions();
        var reader = new PersistentState<CounterState>(storage, AliceProfile, options);
        var writer = new PersistentState<CounterState>(storage, AliceProfile, options);
        await reader.ReadStateAsync();
        await writer.ReadStateAsync();
        writer.State.Value = 1;
        await writer.WriteStateAsync();

        await Assert.ThrowsAsync<InconsistentStateException>(reader.ClearStateAsync);
        Assert.NotNull(await storage.ReadAsync(AliceProfile));
    }

    [Fact]
    public async Task A_grain_with_state_but_no_storage_fails_its_activation_clearly()
    {
        await using var silo = new TestSilo(services: s =>
        {
            var descriptor = s.Single(d => d.ServiceType == typeof(IGrainStorage));
            s.Remove(descriptor);
        });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Within(silo.Factory.GetGrain<IStateGrain>("x").GetNameAsync()));
        Assert.Contains("IGrainStorage", error.Message, StringComparison.Ordinal);
    }
}
