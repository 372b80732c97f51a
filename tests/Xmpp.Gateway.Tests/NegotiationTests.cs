using Xmpp.Protocol;

namespace Xmpp.Gateway.Tests;

/// <summary>RFC 6120 §4 stream headers and §4.3 features before TLS, after TLS and after authentication.</summary>
public sealed class NegotiationTests
{
    [Fact]
    public async Task Server_answers_with_its_header_and_features()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var features = await client.OpenStreamAsync();

        var header = client.ServerHeader!;
        Assert.Equal("localhost", header.From);
        Assert.Equal("1.0", header.GetAttribute("version"));
        Assert.Equal("en", header.Lang);
        Assert.False(string.IsNullOrEmpty(header.Id));

        // Loopback counts as secure by default: STARTTLS offered but not required, every mechanism.
        var starttls = features.Child("starttls", Namespaces.Tls);
        Assert.NotNull(starttls);
        Assert.Null(starttls.Child("required", Namespaces.Tls));
        Assert.Equal(["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"], client.Mechanisms);
        Assert.Null(features.Child("bind", Namespaces.Bind));
    }

    [Fact]
    public async Task Tls_is_required_first_when_the_connection_is_not_trusted()
    {
        await using var server = await TestServer.StartAsync("--Gateway:LoopbackIsSecure=false");
        await using var client = await server.ConnectAsync();
        var features = await client.OpenStreamAsync();

        Assert.NotNull(features.Child("starttls", Namespaces.Tls)?.Child("required", Namespaces.Tls));
        Assert.Null(features.Child("mechanisms", Namespaces.Sasl));

        // Authenticating anyway is refused (RFC 6120 §6.4.5 encryption-required).
        Assert.Equal("encryption-required", await client.AuthenticateAsync("PLAIN", "alice", "secret"));

        var afterTls = await client.StartTlsAsync();
        Assert.Null(afterTls.Child("starttls", Namespaces.Tls));
        Assert.Equal(["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"], client.Mechanisms);
        Assert.NotNull(client.ServerHeader!.Id);
    }

    [Fact]
    public async Task After_authentication_bind_optional_session_roster_versioning_and_pre_approval_are_offered()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "secret");
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        var firstId = client.ServerHeader!.Id;
        Assert.Null(await client.AuthenticateAsync("SCRAM-SHA-256", "alice", "secret"));

        var features = client.Features!;
        Assert.NotNull(features.Child("bind", Namespaces.Bind));
        Assert.NotNull(features.Child("session", Namespaces.Session)?.Child("optional", Namespaces.Session));
        Assert.NotNull(features.Child("ver", Namespaces.RosterVersioning));
        Assert.NotNull(features.Child("sub", Namespaces.PreApproval));
        Assert.Null(features.Child("mechanisms", Namespaces.Sasl));
        Assert.Null(features.Child("starttls", Namespaces.Tls));
        Assert.NotEqual(firstId, client.ServerHeader!.Id); // §4.7.3: a new id for the restarted stream
    }

    [Fact]
    public async Task Wrong_host_is_host_unknown()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("<?xml version='1.0'?><stream:stream to='example.org' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");

        // §4.9.1.2: our header first, then the error.
        Assert.IsType<Xmpp.Protocol.Xml.StreamOpened>(await client.ReadEventAsync());
        Assert.Equal("host-unknown", await client.ReadStreamErrorAsync());
    }

    [Fact]
    public async Task Missing_version_is_unsupported_version()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("<stream:stream to='localhost' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
        Assert.Equal("unsupported-version", await client.ReadStreamErrorAsync());
    }

    [Fact]
    public async Task Wrong_content_namespace_is_invalid_namespace()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("<stream:stream to='localhost' version='1.0' xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'>");
        Assert.Equal("invalid-namespace", await client.ReadStreamErrorAsync());
    }

    [Fact]
    public async Task Wrong_stream_namespace_is_invalid_namespace()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("<stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='urn:example'>");
        Assert.Equal("invalid-namespace", await client.ReadStreamErrorAsync());
    }

    [Fact]
    public async Task Client_close_is_answered_with_our_close_and_the_connection_ends()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        await client.SendAsync("</stream:stream>");
        Assert.IsType<Xmpp.Protocol.Xml.StreamClosed>(await client.ReadEventAsync());
        Assert.True(await client.WaitForDisconnectAsync());
    }

    [Fact]
    public async Task Stanza_before_authentication_is_not_authorized()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        await client.SendAsync("<message to='bob@localhost'><body>hi</body></message>");
        Assert.Equal("not-authorized", await client.ReadStreamErrorAsync());
    }

    [Fact]
    public async Task Stanza_before_bind_is_not_authorized()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "secret");
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        Assert.Null(await client.AuthenticateAsync("PLAIN", "alice", "secret"));
        await client.SendAsync("<presence/>");
        Assert.Equal("not-authorized", await client.ReadStreamErrorAsync());
    }
}
