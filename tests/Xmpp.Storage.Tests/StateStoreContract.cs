using System.Text;
using Orleans.Storage;

namespace Xmpp.Storage.Tests;

/// <summary>What every <see cref="IStateStore"/> provider must do; run once per provider.</summary>
public abstract class StateStoreContract
{
    private static readonly GrainStateId Id = new("user", "alice@localhost", "roster");

    protected abstract IStateStore Storage { get; }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Reading_a_missing_record_returns_null()
    {
        Assert.Null(await Storage.ReadAsync(Id));
    }

    [Fact]
    public async Task A_write_without_etag_creates_the_record()
    {
        var etag = await Storage.WriteAsync(Id, Bytes("v1"), null);
        var stored = await Storage.ReadAsync(Id);
        Assert.NotNull(stored);
        Assert.Equal(Bytes("v1"), stored.Data.ToArray());
        Assert.Equal(etag, stored.Etag);
        Assert.False(string.IsNullOrEmpty(etag));
    }

    [Fact]
    public async Task A_write_without_etag_conflicts_when_the_record_exists()
    {
        await Storage.WriteAsync(Id, Bytes("v1"), null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(Id, Bytes("v2"), null));
        Assert.Equal(Bytes("v1"), (await Storage.ReadAsync(Id))!.Data.ToArray());
    }

    [Fact]
    public async Task A_write_with_the_current_etag_replaces_the_data_and_changes_the_etag()
    {
        var first = await Storage.WriteAsync(Id, Bytes("v1"), null);
        var second = await Storage.WriteAsync(Id, Bytes("v2"), first);
        Assert.NotEqual(first, second);
        var stored = await Storage.ReadAsync(Id);
        Assert.Equal(Bytes("v2"), stored!.Data.ToArray());
        Assert.Equal(second, stored.Etag);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_conflicts_and_keeps_the_data()
    {
        var first = await Storage.WriteAsync(Id, Bytes("v1"), null);
        await Storage.WriteAsync(Id, Bytes("v2"), first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(Id, Bytes("v3"), first));
        Assert.Equal(Bytes("v2"), (await Storage.ReadAsync(Id))!.Data.ToArray());
    }

    [Fact]
    public async Task A_write_with_an_etag_to_a_missing_record_conflicts()
    {
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(Id, Bytes("v1"), "made-up"));
        Assert.Null(await Storage.ReadAsync(Id));
    }

    [Fact]
    public async Task Clear_with_the_current_etag_deletes_the_record()
    {
        var etag = await Storage.WriteAsync(Id, Bytes("v1"), null);
        await Storage.ClearAsync(Id, etag);
        Assert.Null(await Storage.ReadAsync(Id));
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_conflicts_and_keeps_the_record()
    {
        var first = await Storage.WriteAsync(Id, Bytes("v1"), null);
        await Storage.WriteAsync(Id, Bytes("v2"), first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(Id, first));
        Assert.NotNull(await Storage.ReadAsync(Id));
    }

    [Fact]
    public async Task Clear_without_etag_succeeds_only_when_there_is_no_record()
    {
        await Storage.ClearAsync(Id, null);
        await Storage.WriteAsync(Id, Bytes("v1"), null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(Id, null));
        Assert.NotNull(await Storage.ReadAsync(Id));
    }

    [Fact]
    public async Task An_etag_from_before_a_clear_never_matches_the_record_written_after_it()
    {
        var old = await Storage.WriteAsync(Id, Bytes("v1"), null);
        await Storage.ClearAsync(Id, old);
        var fresh = await Storage.WriteAsync(Id, Bytes("v2"), null);
        Assert.NotEqual(old, fresh);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(Id, Bytes("stale"), old));
    }

    [Fact]
    public async Task Records_are_told_apart_by_type_key_and_state_name()
    {
        GrainStateId[] ids =
        [
            new("user", "alice@localhost", "roster"),
            new("room", "alice@localhost", "roster"),
            new("user", "Alice@localhost", "roster"),
            new("user", "alice@localhost", "vcard"),
        ];
        foreach (var id in ids)
        {
            await Storage.WriteAsync(id, Bytes(id.ToString()), null);
        }

        foreach (var id in ids)
        {
            Assert.Equal(Bytes(id.ToString()), (await Storage.ReadAsync(id))!.Data.ToArray());
        }
    }

    [Theory]
    [InlineData("room@muc.localhost/nick with space")]
    [InlineData("o'brien\"; DROP TABLE grain_state; --")]
    [InlineData("ünïcødé@例え.jp/🙂")]
    [InlineData("back\\slash#hash?query%percent")]
    [InlineData("")]
    public async Task Keys_may_hold_any_characters(string key)
    {
        var id = new GrainStateId("user", key, "state");
        var etag = await Storage.WriteAsync(id, Bytes(key), null);
        Assert.Equal(Bytes(key), (await Storage.ReadAsync(id))!.Data.ToArray());
        await Storage.ClearAsync(id, etag);
        Assert.Null(await Storage.ReadAsync(id));
    }

    [Fact]
    public async Task Empty_and_large_data_round_trip_exactly()
    {
        var empty = new GrainStateId("t", "empty", "s");
        await Storage.WriteAsync(empty, ReadOnlyMemory<byte>.Empty, null);
        Assert.Equal(0, (await Storage.ReadAsync(empty))!.Data.Length);

        var large = new byte[2 * 1024 * 1024];
        for (var i = 0; i < large.Length; i++)
        {
            large[i] = (byte)(i * 31 + (i >> 8));
        }

        var id = new GrainStateId("t", "large", "s");
        await Storage.WriteAsync(id, large, null);
        Assert.Equal(large, (await Storage.ReadAsync(id))!.Data.ToArray());
    }

    [Fact]
    public async Task A_slice_of_a_buffer_is_stored_as_just_that_slice()
    {
        var buffer = Bytes("xxhelloxx");
        await Storage.WriteAsync(Id, buffer.AsMemory(2, 5), null);
        Assert.Equal(Bytes("hello"), (await Storage.ReadAsync(Id))!.Data.ToArray());
    }

    [Fact]
    public async Task Changing_the_written_buffer_afterwards_does_not_change_the_record()
    {
        var buffer = Bytes("v1");
        await Storage.WriteAsync(Id, buffer, null);
        buffer[0] = (byte)'X';
        Assert.Equal(Bytes("v1"), (await Storage.ReadAsync(Id))!.Data.ToArray());
    }

    [Fact]
    public async Task Of_concurrent_writers_presenting_the_same_etag_exactly_one_wins()
    {
        var etag = await Storage.WriteAsync(Id, Bytes("v0"), null);
        Assert.Equal(1, await CountWinnersOfConcurrentWritesAsync(etag));
    }

    [Fact]
    public async Task Of_concurrent_creators_exactly_one_wins()
    {
        Assert.Equal(1, await CountWinnersOfConcurrentWritesAsync(expectedEtag: null));
    }

    /// <summary>Twenty writers race, all presenting the same ETag; returns how many succeeded.</summary>
    private async Task<int> CountWinnersOfConcurrentWritesAsync(string? expectedEtag)
    {
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await Storage.WriteAsync(Id, Bytes($"w{i}"), expectedEtag);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        var outcome = await Task.WhenAll(attempts);
        return outcome.Count(won => won);
    }

    [Fact]
    public async Task Many_independent_writes_all_land()
    {
        var writes = Enumerable.Range(0, 500)
            .Select(i => Storage.WriteAsync(new GrainStateId("user", $"u{i}", "s"), Bytes($"{i}"), null))
            .ToArray();
        await Task.WhenAll(writes);
        for (var i = 0; i < 500; i += 37)
        {
            Assert.Equal(Bytes($"{i}"), (await Storage.ReadAsync(new GrainStateId("user", $"u{i}", "s")))!.Data.ToArray());
        }
    }
}
