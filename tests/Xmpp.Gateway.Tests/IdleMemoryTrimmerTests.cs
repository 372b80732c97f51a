using Microsoft.Extensions.Options;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// The server hands the collector's free memory back once it goes quiet after a burst: an
/// aggressive collection is a blocking, compacting gen2 collection, which nothing else in this
/// (non-parallel) test asks for.
/// </summary>
[Collection(nameof(MemorySensitive))]
public sealed class IdleMemoryTrimmerTests
{
    [Fact]
    public async Task A_quiet_server_releases_memory_after_a_burst_and_its_sessions_carry_on()
    {
        // The ceiling off: this process has hosted many test servers, whose garbage the heap may
        // still hold (the ceiling has its own tests in IdleTrimPolicyTests).
        await using var server = await TestServer.StartAsync(
            "--Memory:TrimWhenIdleAfter=00:00:00.5", "--Memory:CheckInterval=00:00:00.05", $"--Memory:TrimMaxHeapBytes={long.MaxValue}");
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", "r");
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        Burst();
        var committedAfterBurst = GC.GetGCMemoryInfo().TotalCommittedBytes;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        GCMemoryInfo trim;
        while ((trim = GC.GetGCMemoryInfo(GCKind.FullBlocking)).Index == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(trim.Index > before, "no full blocking collection after the burst");
        Assert.Equal(GC.MaxGeneration, trim.Generation);
        Assert.True(trim.Compacted);
        Assert.True(trim.TotalCommittedBytes < committedAfterBurst, $"committed {committedAfterBurst:N0} -> {trim.TotalCommittedBytes:N0} bytes");
        await client.PingSessionAsync();
    }

    [Fact]
    public async Task Zero_turns_trimming_off()
    {
        await using var server = await TestServer.StartAsync("--Memory:TrimWhenIdleAfter=00:00:00", "--Memory:CheckInterval=00:00:00.05");
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        Burst();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(before, GC.GetGCMemoryInfo(GCKind.FullBlocking).Index);
    }

    [Fact]
    public async Task A_check_interval_of_zero_is_refused_at_start()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync("--Memory:CheckInterval=00:00:00"));
        Assert.Contains("Memory:CheckInterval", refused.Message);
    }

    private static object? _sink;

    /// <summary>
    /// Allocates well over the policy's minimum in small short-lived objects, as a burst of logins
    /// would. Each one is published to a field: an array that does not escape may live on the stack.
    /// </summary>
    private static void Burst()
    {
        for (var i = 0; i < 32 * 1024; i++)
        {
            Volatile.Write(ref _sink, new byte[1024]);
        }

        _sink = null;
    }
}
