using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>SASL (RFC 6120 §6): SCRAM-SHA-1/256, PLAIN policy, failures and throttling.</summary>
public sealed class SaslTests
{
    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("PLAIN")]
    public async Task Each_mechanism_logs_in(string mechanism)
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", "r1", mechanism: mechanism);
        Assert.Equal("alice@localhost/r1", client.Jid!.ToString());
    }

    [Fact]
    public async Task Usernames_and_passwords_are_prepared()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("Alice", "p\u00A0w"); // stored as "alice", password SASLprepped to "p w"
        await using var client = await server.LoginAsync("ALICE", "p w", "r");
        Assert.Equal("alice@localhost/r", client.Jid!.ToString());
    }

    [Fact]
    public async Task Plain_is_allowed_on_trusted_loopback_without_tls()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Contains("PLAIN", client.Mechanisms);
        Assert.Null(await client.AuthenticateAsync("PLAIN", "alice", "pencil"));
    }

    [Fact]
    public async Task Plain_is_refused_without_tls_when_the_connection_is_not_trusted()
    {
        await using var server = await TestServer.StartAsync("--Gateway:LoopbackIsSecure=false", "--Gateway:RequireEncryption=false");
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Equal(["SCRAM-SHA-256", "SCRAM-SHA-1"], client.Mechanisms);
        Assert.Equal("encryption-required", await client.AuthenticateAsync("PLAIN", "alice", "pencil"));

        // After STARTTLS it is offered and works.
        await client.StartTlsAsync();
        Assert.Contains("PLAIN", client.Mechanisms);
        Assert.Null(await client.AuthenticateAsync("PLAIN", "alice", "pencil"));
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("PLAIN")]
    public async Task Wrong_password_is_not_authorized(string mechanism)
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Equal("not-authorized", await client.AuthenticateAsync(mechanism, "alice", "crayon"));

        // The stream stays usable for another attempt (§6.4.5).
        Assert.Null(await client.AuthenticateAsync(mechanism, "alice", "pencil"));
    }

    [Fact]
    public async Task Unknown_user_is_not_authorized()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Equal("not-authorized", await client.AuthenticateAsync("SCRAM-SHA-256", "nobody", "pencil"));
    }

    [Fact]
    public async Task Unknown_mechanism_is_invalid_mechanism()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        await client.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='DIGEST-MD5'/>");
        var failure = await client.ReadElementAsync();
        Assert.NotNull(failure.Child("invalid-mechanism", Namespaces.Sasl));
    }

    [Fact]
    public async Task Bad_base64_is_incorrect_encoding_and_abort_is_aborted()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        await client.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>!!!notbase64</auth>");
        Assert.NotNull((await client.ReadElementAsync()).Child("incorrect-encoding", Namespaces.Sasl));

        await client.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'/>");
        var challenge = await client.ReadElementAsync();
        Assert.Equal("challenge", challenge.Name);
        await client.SendAsync("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        Assert.NotNull((await client.ReadElementAsync()).Child("aborted", Namespaces.Sasl));
    }

    [Fact]
    public async Task Flood_of_failures_closes_with_policy_violation_while_others_log_in()
    {
        await using var server = await TestServer.StartAsync("--Gateway:Auth:MaxFailuresPerConnection=3");
        await server.AddUserAsync("alice", "pencil");
        await server.AddUserAsync("bob", "builder");
        await using var bob = await server.LoginAsync("bob", "builder", "desk");

        await using var attacker = await server.ConnectAsync();
        await attacker.OpenStreamAsync();
        Assert.Equal("not-authorized", await attacker.AuthenticateAsync("PLAIN", "alice", "guess1"));
        Assert.Equal("not-authorized", await attacker.AuthenticateAsync("PLAIN", "alice", "guess2"));
        await attacker.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGd1ZXNzMw==</auth>");
        Assert.NotNull((await attacker.ReadElementAsync()).Child("not-authorized", Namespaces.Sasl));
        Assert.Equal("policy-violation", await attacker.ReadStreamErrorAsync());

        // Another client of the same server logs in fine, and a bound one keeps working.
        await using var alice = await server.LoginAsync("alice", "pencil", "phone");
        Assert.Equal("alice@localhost/phone", alice.Jid!.ToString());
        await bob.PingSessionAsync();
    }

    [Fact]
    public async Task Address_with_many_failures_is_refused_for_a_while()
    {
        await using var server = await TestServer.StartAsync(
            "--Gateway:Auth:MaxFailuresPerConnection=10",
            "--Gateway:Auth:AddressFailureThreshold=3",
            "--Gateway:Auth:AddressBlockBase=00:00:02",
            "--Gateway:Auth:AddressBlockMax=00:00:02");
        await server.AddUserAsync("alice", "pencil");

        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("not-authorized", await client.AuthenticateAsync("PLAIN", "alice", "wrong"));
        }

        // Now even the right password is refused from this address, on any connection, until the block ends.
        Assert.Equal("temporary-auth-failure", await client.AuthenticateAsync("PLAIN", "alice", "pencil"));
        await using var second = await server.ConnectAsync();
        await second.OpenStreamAsync();
        Assert.Equal("temporary-auth-failure", await second.AuthenticateAsync("PLAIN", "alice", "pencil"));

        // Each refusal counts as a failure and restarts the 2 s block (capped, so it does not grow).
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Null(await second.AuthenticateAsync("PLAIN", "alice", "pencil"));
    }
}
