using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>Resource binding (RFC 6120 §7) and the legacy session request (RFC 3921 §3).</summary>
public sealed class BindTests
{
    [Fact]
    public async Task Client_chosen_resource_is_bound()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", "Laptop Home");
        Assert.Equal("alice@localhost/Laptop Home", client.Jid!.ToString());
        await client.PingSessionAsync();
    }

    [Fact]
    public async Task Server_generates_a_resource_when_none_is_asked_for()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil");
        Assert.Equal("alice@localhost", client.Jid!.Bare.ToString());
        Assert.False(string.IsNullOrEmpty(client.Jid.Resource));
    }

    [Fact]
    public async Task Invalid_resource_is_bad_request()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Null(await client.AuthenticateAsync("PLAIN", "alice", "pencil"));

        // A private-use character is not allowed by the OpaqueString profile (RFC 7622 §3.4).
        var failure = await Assert.ThrowsAsync<BindFailedException>(() => client.BindAsync("\uE000"));
        Assert.Equal("bad-request", failure.Condition);

        // The stream survives: a valid bind still works.
        Assert.Equal("alice@localhost/ok", (await client.BindAsync("ok")).ToString());
    }

    [Fact]
    public async Task Second_bind_of_the_same_full_jid_closes_the_first_with_conflict()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var first = await server.LoginAsync("alice", "pencil", "phone");
        await using var other = await server.LoginAsync("alice", "pencil", "desk");
        await using var second = await server.LoginAsync("alice", "pencil", "phone");

        Assert.Equal("conflict", await first.ReadStreamErrorAsync());
        Assert.Equal("alice@localhost/phone", second.Jid!.ToString());
        await second.PingSessionAsync();
        await other.PingSessionAsync();
    }

    [Fact]
    public async Task Session_request_gets_an_empty_result()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", "r");
        await client.SendAsync("<iq type='set' id='sess'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
        var reply = await client.ReadUntilAsync(e => e.Id == "sess");
        Assert.Equal("result", reply.Type);
        Assert.Empty(reply.Nodes);
    }
}
