using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Xmpp.Storage.Sqlite;

namespace Xmpp.Storage.Tests;

/// <summary>
/// Each provider as Orleans' grain storage under a real silo (<see cref="InProcessTestCluster"/>):
/// state survives the silo, records are keyed as the server's grains expect, and a write that lost
/// a race is refused, never applied over the other.
/// </summary>
public sealed class GrainStorageTests : IDisposable
{
    private readonly TempDatabase _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Sqlite_state_survives_a_restart_of_the_silo()
    {
        await using (var cluster = await StartAsync(s => s.AddSqliteStorage(_file.FilePath)))
        {
            await cluster.Client.GetGrain<IProfileGrain>("alice@localhost").SetAsync("Alice", "friends", 3);
        }

        await using (var cluster = await StartAsync(s => s.AddSqliteStorage(_file.FilePath)))
        {
            var (name, tags, score, exists) = await cluster.Client.GetGrain<IProfileGrain>("alice@localhost").GetAsync();
            Assert.Equal(("Alice", "friends", 3, true), (name, Assert.Single(tags), score, exists));
        }
    }

    [Fact]
    public async Task Records_are_keyed_by_grain_type_key_and_state_name_and_hold_JSON()
    {
        var store = new InMemoryStateStore();
        await using var cluster = await StartAsync(s => s.AddSingleton<IStateStore>(store).AddStateStoreGrainStorage());
        await cluster.Client.GetGrain<IProfileGrain>("alice@localhost").SetAsync("Alice", "friends", 3);

        var record = await store.ReadAsync(new GrainStateId("profile", "alice@localhost", "profile"));
        Assert.NotNull(record);
        Assert.Equal("""{"Name":"Alice","Tags":["friends"],"Scores":{"friends":3}}""", System.Text.Encoding.UTF8.GetString(record.Data.Span));
    }

    [Fact]
    public async Task Clearing_deletes_the_record()
    {
        var store = new InMemoryStateStore();
        await using var cluster = await StartAsync(s => s.AddSingleton<IStateStore>(store).AddStateStoreGrainStorage());
        var grain = cluster.Client.GetGrain<IProfileGrain>("alice@localhost");
        await grain.SetAsync("Alice", "friends", 3);
        await grain.ClearAsync();

        Assert.Null(await store.ReadAsync(new GrainStateId("profile", "alice@localhost", "profile")));
        Assert.False((await grain.GetAsync()).Exists);
    }

    [Fact]
    public async Task A_write_over_a_change_made_elsewhere_fails_and_the_next_call_sees_the_other_change()
    {
        var store = new InMemoryStateStore();
        await using var cluster = await StartAsync(s => s.AddSingleton<IStateStore>(store).AddStateStoreGrainStorage());
        var grain = cluster.Client.GetGrain<IProfileGrain>("alice@localhost");
        await grain.SetAsync("Alice", "friends", 3);

        // Another writer (another silo, an admin tool) changes the record behind the activation's back.
        var id = new GrainStateId("profile", "alice@localhost", "profile");
        var stored = await store.ReadAsync(id);
        await store.WriteAsync(id, """{"Name":"Changed elsewhere","Tags":[],"Scores":{}}"""u8.ToArray(), stored!.Etag);

        // The caller is told the change was not saved; the other change is not overwritten.
        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => grain.SetAsync("Mine", "work", 1));
        Assert.Equal("""{"Name":"Changed elsewhere","Tags":[],"Scores":{}}""", System.Text.Encoding.UTF8.GetString((await store.ReadAsync(id))!.Data.Span));

        // Orleans dropped the activation; the next one reads what is stored.
        Assert.Equal("Changed elsewhere", (await grain.GetAsync()).Name);
    }

    private static async Task<InProcessTestCluster> StartAsync(Action<IServiceCollection> storage)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => storage(host.Services));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
