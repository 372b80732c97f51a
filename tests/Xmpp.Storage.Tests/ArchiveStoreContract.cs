using Xmpp.Storage.Archive;

namespace Xmpp.Storage.Tests;

/// <summary>What every <see cref="IArchiveStore"/> provider must do; run once per provider.</summary>
public abstract class ArchiveStoreContract
{
    private const string Owner = "romeo@localhost";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract IArchiveStore Archive { get; }

    /// <summary>Whether the provider reports counts (a cheap count is optional).</summary>
    protected virtual bool Counts => true;

    /// <summary>Stanza i: archived i seconds after T0, with juliet (even i, resources a and b alternating) or the nurse (odd i).</summary>
    private static ArchivedStanza Stanza(int i) => new(
        ArchiveId.FromTime(T0.AddSeconds(i)),
        i % 2 == 0 ? $"juliet@localhost/{(i % 4 == 0 ? "a" : "b")}" : "nurse@localhost",
        $"<message xmlns='jabber:client' id='m{i}'><body>{i}</body></message>");

    private async Task<ArchivedStanza[]> AppendAsync(int count, string owner = Owner)
    {
        var stanzas = Enumerable.Range(0, count).Select(Stanza).ToArray();
        await Archive.AppendAsync(owner, stanzas);
        return stanzas;
    }

    private static int[] Numbers(ArchivePage page) => [.. page.Items.Select(s => int.Parse(s.Xml[(s.Xml.IndexOf("<body>", StringComparison.Ordinal) + 6)..s.Xml.IndexOf("</body>", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture))];

    private void AssertCount(ArchivePage page, int count)
    {
        if (Counts)
        {
            Assert.Equal(count, page.Count);
        }
    }

    [Fact]
    public async Task An_empty_archive_has_no_bounds_and_an_empty_complete_page()
    {
        Assert.Null(await Archive.GetBoundsAsync(Owner));
        var page = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 10 });
        Assert.Empty(page.Items);
        Assert.True(page.Complete);
        AssertCount(page, 0);
    }

    [Fact]
    public async Task Stanzas_come_back_as_appended_oldest_first()
    {
        var stanzas = await AppendAsync(5);
        var page = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 10 });
        Assert.Equal(stanzas, page.Items);
        Assert.True(page.Complete);
        Assert.Equal(T0.AddSeconds(3), page.Items[3].Timestamp);
        AssertCount(page, 5);
    }

    [Fact]
    public async Task Pages_forwards_follow_each_other_and_the_last_is_complete()
    {
        await AppendAsync(7);
        var first = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 3 });
        Assert.Equal([0, 1, 2], Numbers(first));
        Assert.False(first.Complete);
        var second = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 3, PageAfter = first.Items[^1].Id });
        Assert.Equal([3, 4, 5], Numbers(second));
        Assert.False(second.Complete);
        AssertCount(second, 7);
        var third = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 3, PageAfter = second.Items[^1].Id });
        Assert.Equal([6], Numbers(third));
        Assert.True(third.Complete);
    }

    [Fact]
    public async Task Pages_from_the_end_go_backwards_in_time_each_oldest_first()
    {
        await AppendAsync(7);
        var last = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 3, FromEnd = true });
        Assert.Equal([4, 5, 6], Numbers(last));
        Assert.False(last.Complete);
        AssertCount(last, 7);
        var before = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 3, FromEnd = true, PageBefore = last.Items[0].Id });
        Assert.Equal([1, 2, 3], Numbers(before));
        Assert.False(before.Complete);
        var first = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 3, FromEnd = true, PageBefore = before.Items[0].Id });
        Assert.Equal([0], Numbers(first));
        Assert.True(first.Complete);
    }

    [Fact]
    public async Task A_bare_with_matches_every_resource_and_a_full_with_only_its_own()
    {
        await AppendAsync(8);
        var bare = await Archive.QueryAsync(Owner, new ArchiveQuery { With = "juliet@localhost", WithIsBare = true, Max = 10 });
        Assert.Equal([0, 2, 4, 6], Numbers(bare));
        AssertCount(bare, 4);
        var full = await Archive.QueryAsync(Owner, new ArchiveQuery { With = "juliet@localhost/b", Max = 10 });
        Assert.Equal([2, 6], Numbers(full));
        var fromEnd = await Archive.QueryAsync(Owner, new ArchiveQuery { With = "nurse@localhost", WithIsBare = true, Max = 2, FromEnd = true });
        Assert.Equal([5, 7], Numbers(fromEnd));
        Assert.False(fromEnd.Complete);
        AssertCount(fromEnd, 4);
    }

    [Fact]
    public async Task Time_and_id_bounds_narrow_the_range()
    {
        var stanzas = await AppendAsync(10);
        var byTime = await Archive.QueryAsync(Owner, new ArchiveQuery { MinId = ArchiveId.FromTime(T0.AddSeconds(2)), MaxId = ArchiveId.FromTime(T0.AddSeconds(5)), Max = 10 });
        Assert.Equal([2, 3, 4, 5], Numbers(byTime));
        Assert.True(byTime.Complete);
        var byId = await Archive.QueryAsync(Owner, new ArchiveQuery { AfterId = stanzas[6].Id, Max = 10 });
        Assert.Equal([7, 8, 9], Numbers(byId));
        var both = await Archive.QueryAsync(Owner, new ArchiveQuery { AfterId = stanzas[1].Id, BeforeId = stanzas[8].Id, Max = 3, FromEnd = true });
        Assert.Equal([5, 6, 7], Numbers(both));
        Assert.False(both.Complete);
        AssertCount(both, 6);
    }

    [Fact]
    public async Task An_id_list_returns_those_that_exist_and_pass_the_filter_in_id_order()
    {
        var stanzas = await AppendAsync(6);
        var query = new ArchiveQuery { Ids = [stanzas[4].Id, stanzas[1].Id, 12345, stanzas[2].Id], Max = 10 };
        var page1 = await Archive.QueryAsync(Owner, query);
        Assert.Equal([1, 2, 4], Numbers(page1));
        var page2 = await Archive.QueryAsync(Owner, query with { With = "juliet@localhost", WithIsBare = true });
        Assert.Equal([2, 4], Numbers(page2));
        var paged = await Archive.QueryAsync(Owner, query with { Max = 2 });
        Assert.Equal([1, 2], Numbers(paged));
        Assert.False(paged.Complete);
    }

    [Fact]
    public async Task A_query_that_does_not_ask_for_the_count_gets_none()
    {
        await AppendAsync(3);
        var page = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 2, Count = false });
        Assert.Equal([0, 1], Numbers(page));
        Assert.Null(page.Count);
    }

    [Fact]
    public async Task Max_zero_returns_no_stanzas_but_tells_whether_there_are_some()
    {
        await AppendAsync(3);
        var page = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 0 });
        Assert.Empty(page.Items);
        Assert.False(page.Complete);
        AssertCount(page, 3);
    }

    [Fact]
    public async Task Archives_of_different_owners_are_separate()
    {
        await AppendAsync(3);
        await AppendAsync(2, "juliet@localhost");
        Assert.Equal(3, (await Archive.QueryAsync(Owner, new ArchiveQuery())).Items.Count);
        Assert.Equal(2, (await Archive.QueryAsync("juliet@localhost", new ArchiveQuery())).Items.Count);
        await Archive.DeleteAsync("juliet@localhost");
        Assert.Empty((await Archive.QueryAsync("juliet@localhost", new ArchiveQuery())).Items);
        Assert.Equal(3, (await Archive.QueryAsync(Owner, new ArchiveQuery())).Items.Count);
    }

    [Fact]
    public async Task Bounds_contains_and_deleting_the_oldest()
    {
        var stanzas = await AppendAsync(6);
        Assert.Equal(new ArchiveBounds(stanzas[0].Id, stanzas[5].Id), await Archive.GetBoundsAsync(Owner));
        Assert.True(await Archive.ContainsAsync(Owner, stanzas[3].Id));
        Assert.False(await Archive.ContainsAsync(Owner, stanzas[3].Id + 1));
        Assert.False(await Archive.ContainsAsync("juliet@localhost", stanzas[3].Id));

        await Archive.DeleteAsync(Owner, beforeId: stanzas[4].Id);
        var page3 = await Archive.QueryAsync(Owner, new ArchiveQuery());
        Assert.Equal([4, 5], Numbers(page3));
        var page4 = await Archive.QueryAsync(Owner, new ArchiveQuery { FromEnd = true });
        Assert.Equal([4, 5], Numbers(page4));
        Assert.Equal(new ArchiveBounds(stanzas[4].Id, stanzas[5].Id), await Archive.GetBoundsAsync(Owner));
        Assert.False(await Archive.ContainsAsync(Owner, stanzas[3].Id));
    }

    [Fact]
    public async Task Trimming_keeps_the_newest()
    {
        var stanzas = await AppendAsync(6);
        await Archive.TrimAsync(Owner, 10);
        Assert.Equal(new ArchiveBounds(stanzas[0].Id, stanzas[5].Id), await Archive.GetBoundsAsync(Owner));
        await Archive.TrimAsync(Owner, 4);
        var kept = await Archive.QueryAsync(Owner, new ArchiveQuery());
        Assert.Equal([2, 3, 4, 5], Numbers(kept));
        var keptFromEnd = await Archive.QueryAsync(Owner, new ArchiveQuery { FromEnd = true });
        Assert.Equal([2, 3, 4, 5], Numbers(keptFromEnd));
        await Archive.TrimAsync(Owner, 0);
        Assert.Null(await Archive.GetBoundsAsync(Owner));
    }

    [Fact]
    public async Task Large_batches_and_large_stanzas_are_stored_whole()
    {
        var big = new string('x', 200_000);
        var stanzas = Enumerable.Range(0, 120).Select(i => Stanza(i) with { Xml = i == 7 ? $"<message xmlns='jabber:client'><body>{big}</body></message>" : Stanza(i).Xml }).ToArray();
        await Archive.AppendAsync(Owner, stanzas);
        var all = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 200 });
        Assert.Equal(stanzas, all.Items);
        var last = await Archive.QueryAsync(Owner, new ArchiveQuery { Max = 115, FromEnd = true });
        Assert.Equal(stanzas[5..], last.Items);
        Assert.False(last.Complete);
    }

    [Fact]
    public async Task Owners_with_characters_that_keys_cannot_hold_work()
    {
        const string Room = "room#1?@conference.localhost";
        await AppendAsync(2, Room);
        Assert.Equal(2, (await Archive.QueryAsync(Room, new ArchiveQuery())).Items.Count);
    }
}
