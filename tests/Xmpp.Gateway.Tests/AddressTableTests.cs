using System.Net;

namespace Xmpp.Gateway.Tests;

/// <summary>The throttles' per-address table: its bound and its sweep.</summary>
public sealed class AddressTableTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public void The_table_is_full_at_its_bound_and_a_sweep_makes_room_by_forgetting_only_the_windows_that_are_over()
    {
        var table = new AddressTable<Window>((window, now) => window.Ends <= now);
        for (var i = 0; i < AddressTable<Window>.MaxTrackedAddresses - 1; i++)
        {
            // Every other window is over at Now.
            table.GetOrAdd(Address(i), () => new Window(i % 2 == 0 ? Now : Now.AddMinutes(1)));
        }

        Assert.False(table.IsFull);
        var last = Address(AddressTable<Window>.MaxTrackedAddresses - 1);
        table.GetOrAdd(last, () => new Window(Now.AddMinutes(1)));
        Assert.True(table.IsFull);

        table.Sweep(Now);

        Assert.False(table.IsFull);
        Assert.False(table.TryGet(Address(0), out _));
        Assert.True(table.TryGet(Address(1), out var kept));
        Assert.Equal(Now.AddMinutes(1), kept.Ends);
        Assert.True(table.TryGet(last, out _));
    }

    [Fact]
    public void An_address_keeps_its_entry_until_its_window_is_over()
    {
        var table = new AddressTable<Window>((window, now) => window.Ends <= now);
        var address = IPAddress.Parse("203.0.113.7");
        var entry = table.GetOrAdd(address, () => new Window(Now.AddMinutes(1)));

        Assert.Same(entry, table.GetOrAdd(address, () => new Window(Now)));
        table.Sweep(Now);
        Assert.True(table.TryGet(address, out var kept));
        Assert.Same(entry, kept);

        table.Sweep(Now.AddMinutes(1));
        Assert.False(table.TryGet(address, out _));
    }

    private static IPAddress Address(int i) => new(BitConverter.GetBytes(i));

    private sealed record Window(DateTimeOffset Ends);
}
