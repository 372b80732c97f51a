using Orleans.Storage;

namespace Xmpp.Storage.Tests;

/// <summary>What every <see cref="IAccountStore"/> provider must do; run once per provider.</summary>
public abstract class AccountStoreContract
{
    protected abstract IAccountStore Accounts { get; }

    internal static Account MakeAccount(string username, byte seed = 1) => new(
        username,
        new ScramCredential([seed, 2, 3], 4096, [.. Enumerable.Repeat(seed, 20)], [.. Enumerable.Repeat((byte)(seed + 1), 20)]),
        new ScramCredential([seed, 9], 8192, [.. Enumerable.Repeat((byte)(seed + 2), 32)], [.. Enumerable.Repeat((byte)(seed + 3), 32)]));

    internal static void AssertSame(Account expected, Account? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Username, actual.Username);
        AssertSame(expected.Sha1, actual.Sha1);
        AssertSame(expected.Sha256, actual.Sha256);
    }

    private static void AssertSame(ScramCredential expected, ScramCredential actual)
    {
        Assert.Equal(expected.Salt, actual.Salt);
        Assert.Equal(expected.Iterations, actual.Iterations);
        Assert.Equal(expected.StoredKey, actual.StoredKey);
        Assert.Equal(expected.ServerKey, actual.ServerKey);
    }

    [Fact]
    public async Task Finding_a_missing_account_returns_null()
    {
        Assert.Null(await Accounts.FindAsync("nobody"));
    }

    [Fact]
    public async Task A_created_account_is_found_with_its_credentials()
    {
        var alice = MakeAccount("alice");
        Assert.True(await Accounts.CreateAsync(alice));
        AssertSame(alice, await Accounts.FindAsync("alice"));
    }

    [Fact]
    public async Task Creating_a_taken_name_fails_and_keeps_the_first_account()
    {
        var first = MakeAccount("alice", 1);
        Assert.True(await Accounts.CreateAsync(first));
        Assert.False(await Accounts.CreateAsync(MakeAccount("alice", 7)));
        AssertSame(first, await Accounts.FindAsync("alice"));
    }

    [Fact]
    public async Task Update_replaces_the_credentials_of_an_existing_account_only()
    {
        Assert.False(await Accounts.UpdateAsync(MakeAccount("ghost")));
        Assert.Null(await Accounts.FindAsync("ghost"));

        await Accounts.CreateAsync(MakeAccount("bob", 1));
        var changed = MakeAccount("bob", 5);
        Assert.True(await Accounts.UpdateAsync(changed));
        AssertSame(changed, await Accounts.FindAsync("bob"));
    }

    [Fact]
    public async Task Delete_removes_an_account_once()
    {
        await Accounts.CreateAsync(MakeAccount("carol"));
        Assert.True(await Accounts.DeleteAsync("carol"));
        Assert.False(await Accounts.DeleteAsync("carol"));
        Assert.Null(await Accounts.FindAsync("carol"));
        Assert.True(await Accounts.CreateAsync(MakeAccount("carol")));
    }

    [Fact]
    public async Task Names_are_exact_and_listed_in_ordinal_order()
    {
        foreach (var name in new[] { "bob", "Alice", "alice", "zoë", "\uE000private", "😀emoji" })
        {
            Assert.True(await Accounts.CreateAsync(MakeAccount(name)));
        }

        Assert.Null(await Accounts.FindAsync("ALICE"));
        var expected = new List<string> { "bob", "Alice", "alice", "zoë", "\uE000private", "😀emoji" };
        expected.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, await Accounts.ListAsync());
    }

    [Fact]
    public async Task An_empty_store_lists_nothing()
    {
        Assert.Empty(await Accounts.ListAsync());
    }

    [Fact]
    public async Task Changing_arrays_after_create_does_not_change_the_stored_account()
    {
        var alice = MakeAccount("alice");
        await Accounts.CreateAsync(alice);
        alice.Sha256.StoredKey[0] ^= 0xFF;
        Assert.NotEqual(alice.Sha256.StoredKey, (await Accounts.FindAsync("alice"))!.Sha256.StoredKey);
    }
}
