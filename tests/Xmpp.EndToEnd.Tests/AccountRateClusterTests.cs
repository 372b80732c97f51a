using Xmpp.Gateway.Tests;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// An account's stanza rate (Xmpp:Limits:StanzasPerSecond) holds across a cluster of two real
/// server processes: its grain keeps the rate, and sessions on either process take from it.
/// </summary>
public sealed class AccountRateClusterTests : IAsyncLifetime
{
    private readonly Azurite _azurite = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    [Fact]
    public async Task Sessions_of_one_account_on_two_processes_share_its_stanza_rate()
    {
        // 100 stanzas a second with one second of burst: 400 messages cannot all get in before
        // (400 - 100) / 100 = 3 s. With a rate per process they would take half that.
        await using var cluster = await ClusterProcesses.StartAsync(
            _azurite.ConnectionString, count: 2,
            arguments: ["--Xmpp:Limits:StanzasPerSecond=100", "--Xmpp:Limits:StanzaBurst=00:00:01", "--Gateway:RateLimits:Tcp:BytesPerSecond=0"]);
        await cluster.AddUserAsync("flooder", "flooder-secret");
        await cluster.AddUserAsync("victim", "victim-secret");

        await using var one = await XmppTestClient.LoginAsync(cluster[0].C2sEndpoint, "flooder", "flooder-secret", "one");
        await using var two = await XmppTestClient.LoginAsync(cluster[1].C2sEndpoint, "flooder", "flooder-secret", "two");
        await using var victim = await XmppTestClient.LoginAsync(cluster[0].C2sEndpoint, "victim", "victim-secret", "phone");
        await victim.SendAsync("<presence/>");

        var took = await AccountFlood.Start([one, two], "victim@localhost", 200).ArrivedAsync(victim);
        Console.WriteLine($"400 messages from one account's sessions on two processes at 100 stanzas/s arrived in {took.TotalSeconds:0.0} s");
        Assert.True(took > TimeSpan.FromSeconds(2.5), $"the flood arrived in {took}: not held to the account's rate\n{cluster.Output}");
    }
}
