using System.Text;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// Bad input ends the offending stream with the right error (RFC 6120 §4.9.3, §11) and never
/// disturbs another session on the same server.
/// </summary>
public sealed class MalformedInputTests
{
    private static async Task<(TestServer Server, XmppTestClient Healthy)> StartWithHealthySessionAsync(params string[] overrides)
    {
        var server = await TestServer.StartAsync(overrides);
        await server.AddUserAsync("healthy", "pencil");
        await server.AddUserAsync("alice", "pencil");
        var healthy = await server.LoginAsync("healthy", "pencil", "r");
        return (server, healthy);
    }

    [Fact]
    public async Task Garbage_bytes_are_not_well_formed()
    {
        var (server, healthy) = await StartWithHealthySessionAsync();
        await using (server)
        await using (healthy)
        {
            await using var client = await server.ConnectAsync();
            await client.OpenStreamAsync();
            await client.SendAsync(new byte[] { 0x3C, 0x00, 0xFF, 0xFE, 0x3E, 0x41, 0x3C, 0x3C });
            Assert.Equal("not-well-formed", await client.ReadStreamErrorAsync());
            await healthy.PingSessionAsync();
        }
    }

    [Fact]
    public async Task Garbage_instead_of_a_header_is_answered_with_header_and_error()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal("not-well-formed", await client.ReadStreamErrorAsync());
    }

    [Fact]
    public async Task Dtd_is_restricted_xml()
    {
        var (server, healthy) = await StartWithHealthySessionAsync();
        await using (server)
        await using (healthy)
        {
            await using var client = await server.ConnectAsync();
            await client.SendAsync("<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY lol 'lol'>]><stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
            Assert.Equal("restricted-xml", await client.ReadStreamErrorAsync());
            await healthy.PingSessionAsync();
        }
    }

    [Fact]
    public async Task Comment_inside_the_stream_is_restricted_xml()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        await client.SendAsync("<!-- hello -->");
        Assert.Equal("restricted-xml", await client.ReadStreamErrorAsync());
    }

    [Fact]
    public async Task Ten_thousand_nested_elements_are_a_policy_violation()
    {
        var (server, healthy) = await StartWithHealthySessionAsync();
        await using (server)
        await using (healthy)
        {
            await using var client = await server.LoginAsync("alice", "pencil", "deep");
            var xml = new StringBuilder("<message to='healthy@localhost'>");
            for (var i = 0; i < 10_000; i++)
            {
                xml.Append("<a>");
            }

            await client.SendAsync(xml.ToString());
            Assert.Equal("policy-violation", await client.ReadStreamErrorAsync());
            await healthy.PingSessionAsync();
        }
    }

    [Fact]
    public async Task Oversized_stanza_before_authentication_is_a_policy_violation()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        await client.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + new string('A', 20_000) + "</auth>");
        Assert.Equal("policy-violation", await client.ReadStreamErrorAsync());
    }

    [Fact]
    public async Task Unknown_top_level_element_after_bind_is_unsupported_stanza_type()
    {
        var (server, healthy) = await StartWithHealthySessionAsync();
        await using (server)
        await using (healthy)
        {
            await using var client = await server.LoginAsync("alice", "pencil", "x");
            await client.SendAsync("<foo xmlns='urn:example:foo'/>");
            Assert.Equal("unsupported-stanza-type", await client.ReadStreamErrorAsync());
            await healthy.PingSessionAsync();
        }
    }

    [Fact]
    public async Task Foreign_from_is_invalid_from()
    {
        var (server, healthy) = await StartWithHealthySessionAsync();
        await using (server)
        await using (healthy)
        {
            await using var client = await server.LoginAsync("alice", "pencil", "x");
            await client.SendAsync("<message from='healthy@localhost/r' to='healthy@localhost'><body>spoof</body></message>");
            Assert.Equal("invalid-from", await client.ReadStreamErrorAsync());
            await healthy.PingSessionAsync();
        }
    }

    [Fact]
    public async Task Own_from_is_accepted()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", "x");
        await client.SendAsync("<iq type='set' id='s1' from='alice@localhost/x'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
        var reply = await client.ReadUntilAsync(e => e.Id == "s1");
        Assert.Equal("result", reply.Type);
        Assert.Equal("alice@localhost/x", reply.To);
    }

    [Fact]
    public async Task Malformed_to_gets_jid_malformed_and_the_stream_continues()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", "x");
        await client.SendAsync("<message id='m1' to='a@b@c/'><body>hi</body></message>");
        var error = await client.ReadUntilAsync(e => e.Id == "m1");
        Assert.Equal("error", error.Type);
        Assert.Equal("jid-malformed", Xmpp.Protocol.StanzaError.FromStanza(error)!.Condition);
        await client.PingSessionAsync();
    }
}
