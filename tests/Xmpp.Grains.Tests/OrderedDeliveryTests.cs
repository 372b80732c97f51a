using System.Threading.Channels;
using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Tests;

/// <summary>The in-order hand-over every stanza path relies on: one call in flight, batching meanwhile, nothing lost.</summary>
public sealed class OrderedDeliveryTests
{
    [Fact]
    public async Task Items_sent_while_a_call_is_in_flight_go_together_in_the_next_call_in_order()
    {
        var calls = new List<int[]>();
        var firstCall = new TaskCompletionSource();
        var delivery = new OrderedDelivery<int>(
            batch =>
            {
                lock (calls)
                {
                    calls.Add([.. batch]);
                }

                return calls.Count == 1 ? firstCall.Task : Task.CompletedTask;
            },
            (_, e) => throw e);

        Assert.True(delivery.TryEnqueue(1));
        for (var i = 2; i <= 5; i++)
        {
            Assert.True(delivery.TryEnqueue(i));
        }

        Assert.True(delivery.TryEnqueue([6, 7]));
        firstCall.SetResult();
        await delivery.WhenDrainedAsync();

        Assert.Equal([[1], [2, 3, 4, 5, 6, 7]], calls);
    }

    [Fact]
    public async Task A_backlog_behind_a_slow_call_goes_in_calls_bounded_by_count_and_by_size_in_order()
    {
        // A receiver slower than its senders: everything queued while the first call hangs must
        // not become one call too large for Orleans to carry.
        var calls = new List<int[]>();
        var firstCall = new TaskCompletionSource();
        const int ItemBytes = 1000;
        var delivery = new OrderedDelivery<int>(
            batch =>
            {
                lock (calls)
                {
                    calls.Add([.. batch]);
                }

                return calls.Count == 1 ? firstCall.Task : Task.CompletedTask;
            },
            (_, e) => throw e,
            sizeOf: item => item < 0 ? 3 * OrderedDelivery<int>.MaxBatchBytes : ItemBytes);

        var backlog = 3 * OrderedDelivery<int>.MaxBatchBytes / ItemBytes;
        for (var i = 0; i <= backlog; i++)
        {
            delivery.TryEnqueue(i);
        }

        delivery.TryEnqueue(-1); // one item above the byte bound still goes, alone
        var after = Enumerable.Range(backlog + 1, 20).ToArray();
        foreach (var item in after)
        {
            delivery.TryEnqueue(item);
        }

        firstCall.SetResult();
        await delivery.WhenDrainedAsync();

        Assert.Equal([0, .. Enumerable.Range(1, backlog), -1, .. after], calls.SelectMany(c => c));
        Assert.All(calls, c => Assert.True(c.Length == 1 || c.Length * ItemBytes <= OrderedDelivery<int>.MaxBatchBytes, $"a call of {c.Length} items"));
        Assert.Contains(calls, c => c is [-1]);
        Assert.True(calls.Count >= 5, $"{calls.Count} calls");
    }

    [Fact]
    public async Task Without_sizes_a_call_carries_at_most_the_item_bound()
    {
        var calls = new List<int>();
        var firstCall = new TaskCompletionSource();
        var delivery = new OrderedDelivery<int>(
            batch =>
            {
                lock (calls)
                {
                    calls.Add(batch.Count);
                }

                return calls.Count == 1 ? firstCall.Task : Task.CompletedTask;
            },
            (_, e) => throw e);

        for (var i = 0; i <= 2 * OrderedDelivery<int>.MaxBatchItems + 1; i++)
        {
            delivery.TryEnqueue(i);
        }

        firstCall.SetResult();
        await delivery.WhenDrainedAsync();

        Assert.Equal([1, OrderedDelivery<int>.MaxBatchItems, OrderedDelivery<int>.MaxBatchItems, 1], calls);
    }

    [Fact]
    public async Task Deliveries_started_in_a_held_scope_hand_on_everything_it_queued_in_one_call()
    {
        // Three targets whose deliveries hand their items on to one shared delivery (as accounts of
        // one silo hand theirs to its relay), started within one scope (as a grain turn's routes).
        var calls = new List<int[]>();
        var shared = new OrderedDelivery<int>(
            batch =>
            {
                calls.Add([.. batch]);
                return Task.CompletedTask;
            },
            (_, e) => throw e);
        var targets = Enumerable.Range(0, 3)
            .Select(_ => new OrderedDelivery<int>(batch => HandOn(shared, batch), (_, e) => throw e, mayStartInTurn: () => true))
            .ToList();

        using (DeliveryStarts.Hold())
        {
            for (var i = 0; i < targets.Count; i++)
            {
                targets[i].TryEnqueue(i);
            }

            Assert.Empty(calls); // nothing started yet
        }

        foreach (var target in targets)
        {
            await target.WhenDrainedAsync();
        }

        await shared.WhenDrainedAsync();
        Assert.Equal([[0, 1, 2]], calls);

        static Task HandOn(OrderedDelivery<int> shared, IReadOnlyList<int> batch)
        {
            shared.TryEnqueue(batch);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_failed_call_hands_its_batch_to_the_failure_handler_and_the_next_ones_still_go()
    {
        var failed = new List<int>();
        var delivered = new List<int>();
        var delivery = new OrderedDelivery<int>(
            batch => batch.Contains(2) ? Task.FromException(new InvalidOperationException("silo gone")) : Record(delivered, batch),
            (batch, _) => failed.AddRange(batch));

        delivery.TryEnqueue(1);
        await delivery.WhenDrainedAsync();
        delivery.TryEnqueue(2);
        await delivery.WhenDrainedAsync();
        delivery.TryEnqueue(3);
        await delivery.WhenDrainedAsync();

        Assert.Equal([1, 3], delivered);
        Assert.Equal([2], failed);
    }

    [Fact]
    public async Task It_retires_only_after_a_whole_sweep_period_without_use_and_then_takes_nothing()
    {
        var delivery = new OrderedDelivery<int>(_ => Task.CompletedTask, (_, e) => throw e);
        delivery.TryEnqueue(1);
        await delivery.WhenDrainedAsync();

        Assert.False(delivery.TryRetireIfUnused()); // used since the last sweep
        Assert.True(delivery.TryRetireIfUnused());  // a whole period without use
        Assert.False(delivery.TryEnqueue(2));       // its owner makes a new one
    }

    [Fact]
    public void It_does_not_retire_while_a_call_is_in_flight()
    {
        var delivery = new OrderedDelivery<int>(_ => new TaskCompletionSource().Task, (_, e) => throw e);
        delivery.TryEnqueue(1);

        Assert.False(delivery.TryRetireIfUnused());
        Assert.False(delivery.TryRetireIfUnused());
        Assert.True(delivery.TryEnqueue(2));
    }

    [Fact]
    public async Task A_watch_completes_once_the_items_queued_in_its_scope_were_handed_over_not_those_after()
    {
        var calls = Channel.CreateUnbounded<TaskCompletionSource>();
        var delivery = new OrderedDelivery<int>(
            _ =>
            {
                var call = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                calls.Writer.TryWrite(call);
                return call.Task;
            },
            (_, e) => throw e);

        var first = new List<Task>();
        using (DeliveryWatch.Watch(first))
        {
            delivery.TryEnqueue(1); // goes at once
        }

        var second = new List<Task>();
        using (DeliveryWatch.Watch(second))
        {
            delivery.TryEnqueue([2, 3]); // waits behind the call in flight
        }

        delivery.TryEnqueue(4); // nobody watches it
        _ = Assert.Single(first);
        _ = Assert.Single(second);
        Assert.False(first[0].IsCompleted);

        (await calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).SetResult();
        await first[0].WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(second[0].IsCompleted); // 2, 3 and 4 are in the second call, still in flight

        (await calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).SetResult();
        await second[0].WaitAsync(TimeSpan.FromSeconds(5));
        await delivery.WhenDrainedAsync();
    }

    [Fact]
    public async Task A_watched_batch_whose_call_failed_counts_as_handed_over_and_queueing_unwatched_adds_nothing()
    {
        var failed = new List<int>();
        var delivery = new OrderedDelivery<int>(_ => Task.FromException(new InvalidOperationException("the grain's silo is gone (test)")), (batch, _) => failed.AddRange(batch));
        var watched = new List<Task>();
        using (DeliveryWatch.Watch(watched))
        {
            delivery.TryEnqueue(1);
        }

        await Assert.Single(watched).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([1], failed);

        delivery.TryEnqueue(2);
        _ = Assert.Single(watched);
    }

    private static Task Record(List<int> delivered, IReadOnlyList<int> batch)
    {
        delivered.AddRange(batch);
        return Task.CompletedTask;
    }
}
