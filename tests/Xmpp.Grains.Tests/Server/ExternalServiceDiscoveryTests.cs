using Xmpp.Grains.Server;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Server;

/// <summary>XEP-0215 answers as Prosody's mod_external_services and mod_turn_external give them.</summary>
public sealed class ExternalServiceDiscoveryTests
{
    // The moment Prosody's test configuration fixes its clock at, which its recordings were made at.
    private static readonly DateTimeOffset ProsodyTestTime = DateTimeOffset.FromUnixTimeSeconds(1219439344);

    /// <summary>Prosody's test configuration (spec/scansion/prosody.cfg.lua in its source), as conformance.json has it.</summary>
    private static ExternalServicesOptions ProsodyTestServices()
    {
        var options = new ExternalServicesOptions { Host = "default.example", Port = 9876, Secret = "<secret>" };
        options.Services.Add(new ExternalServiceOptions { Type = "stun", Transport = "udp" });
        options.Services.Add(new ExternalServiceOptions { Type = "turn", Transport = "udp", UseSharedSecret = true });
        options.Services.Add(new ExternalServiceOptions { Type = "turn", Transport = "udp", Secret = "foo" });
        options.Services.Add(new ExternalServiceOptions { Type = "ftp", Transport = "tcp", Port = 2121, Username = "john", Password = "password" });
        options.Services.Add(new ExternalServiceOptions { Type = "ftp", Transport = "tcp", Host = "ftp.example.com", Port = 21, Username = "john", Password = "password" });
        return options;
    }

    private static string Answer(ExternalServicesOptions options, string query, DateTimeOffset? now = null) =>
        XmlText.Serialize(new ExternalServiceDiscovery(options, "localhost").Answer(XmlText.Parse(query), now ?? ProsodyTestTime));

    [Fact]
    public void Turn_rest_credentials_are_the_expiry_and_its_hmac_sha1()
    {
        // Prosody's recorded answer for its test secret, one day after its test clock.
        var (username, password) = TurnRestCredentials.Create("<secret>", ProsodyTestTime.AddDays(1), user: null);

        Assert.Equal("1219525744", username);
        Assert.Equal("yHYYBDN7M3mdlug0LTdJbW0GvvQ=", password);
        Assert.Equal("1219525744:u", TurnRestCredentials.Create("<secret>", ProsodyTestTime.AddDays(1), "u").Username);
    }

    [Fact]
    public void All_services_are_announced_in_order_as_prosody_recorded_them()
    {
        Assert.Equal(
            "<services xmlns='urn:xmpp:extdisco:2'>"
            + "<service type='stun' transport='udp' host='default.example' port='9876'/>"
            + "<service type='turn' transport='udp' host='default.example' port='9876' username='1219525744' password='yHYYBDN7M3mdlug0LTdJbW0GvvQ=' restricted='1'/>"
            + "<service type='turn' transport='udp' host='default.example' port='9876' username='1219525744' password='1Uc6QfrDhIlbK97rGCUQ/cUICxs=' restricted='1'/>"
            + "<service type='ftp' transport='tcp' host='default.example' port='2121' username='john' password='password' restricted='1'/>"
            + "<service type='ftp' transport='tcp' host='ftp.example.com' port='21' username='john' password='password' restricted='1'/>"
            + "</services>",
            Answer(ProsodyTestServices(), "<services xmlns='urn:xmpp:extdisco:2'/>"));
    }

    [Fact]
    public void A_type_selects_services_and_the_legacy_namespace_is_answered_in_kind()
    {
        Assert.Equal(
            "<services xmlns='urn:xmpp:extdisco:1'><service type='stun' transport='udp' host='default.example' port='9876'/></services>",
            Answer(ProsodyTestServices(), "<services xmlns='urn:xmpp:extdisco:1' type='stun'/>"));
        Assert.Equal("<services xmlns='urn:xmpp:extdisco:2'/>", Answer(ProsodyTestServices(), "<services xmlns='urn:xmpp:extdisco:2' type='sip'/>"));
    }

    [Fact]
    public void Credentials_are_given_for_restricted_services_asked_for_by_type_host_and_port()
    {
        var answer = Answer(ProsodyTestServices(), """
            <credentials xmlns='urn:xmpp:extdisco:2'>
              <service type='turn' host='default.example'/>
              <service type='stun' host='default.example'/>
              <service type='ftp' host='ftp.example.com' port='2121'/>
              <service type='ftp' host='default.example' port='2121'/>
            </credentials>
            """);

        Assert.Equal(
            "<credentials xmlns='urn:xmpp:extdisco:2'>"
            + "<service type='turn' transport='udp' host='default.example' port='9876' username='1219525744' password='yHYYBDN7M3mdlug0LTdJbW0GvvQ=' restricted='1'/>"
            + "<service type='turn' transport='udp' host='default.example' port='9876' username='1219525744' password='1Uc6QfrDhIlbK97rGCUQ/cUICxs=' restricted='1'/>"
            + "<service type='ftp' transport='tcp' host='default.example' port='2121' username='john' password='password' restricted='1'/>"
            + "</credentials>",
            answer);
    }

    [Theory]
    [InlineData("<service host='default.example'/>")]
    [InlineData("<service type='turn'/>")]
    public void A_credentials_request_needs_type_and_host(string service)
    {
        var e = Assert.Throws<StanzaErrorException>(() => Answer(ProsodyTestServices(), $"<credentials xmlns='urn:xmpp:extdisco:2'>{service}</credentials>"));
        Assert.Equal(StanzaError.BadRequest().Condition, e.Error.Condition);
        Assert.Equal(StanzaError.TypeModify, e.Error.Type);
    }

    [Fact]
    public void A_turn_server_is_announced_as_prosodys_turn_external_with_credentials_that_expire()
    {
        var options = new ExternalServicesOptions();
        options.Turn.Secret = "s3cret";
        options.Turn.User = "u";
        options.Turn.Tcp = true;
        options.Turn.TlsPort = 5349;
        options.Turn.Ttl = TimeSpan.FromHours(1);

        var now = ProsodyTestTime.AddMilliseconds(700); // announced in whole seconds
        var services = new ExternalServiceDiscovery(options, "localhost").Services(now);

        var (username, password) = TurnRestCredentials.Create("s3cret", ProsodyTestTime.AddHours(1), "u");
        var expires = ProsodyTestTime.AddHours(1);
        Assert.Equal(
            [
                new ExternalService("stun", "udp", "localhost", 3478, null, null, null, Restricted: false),
                new ExternalService("stun", "tcp", "localhost", 3478, null, null, null, Restricted: false),
                new ExternalService("turn", "udp", "localhost", 3478, username, password, expires, Restricted: true),
                new ExternalService("turn", "tcp", "localhost", 3478, username, password, expires, Restricted: true),
                new ExternalService("turns", "tcp", "localhost", 5349, username, password, expires, Restricted: true),
            ],
            services);
        Assert.Equal(
            $"<service xmlns='urn:xmpp:extdisco:2' type='turns' transport='tcp' host='localhost' port='5349' username='{username}' password='{password}' expires='2008-08-22T22:09:04Z' restricted='1'/>",
            XmlText.Serialize(services[^1].ToElement(Namespaces.ExternalServices)));
    }

    [Fact]
    public void Configured_expiry_and_ttl_are_announced_and_bound_the_credentials()
    {
        var options = new ExternalServicesOptions { Secret = "k", Ttl = TimeSpan.FromMinutes(5) };
        options.Services.Add(new ExternalServiceOptions { Type = "turn", Host = "a.example", UseSharedSecret = true });
        options.Services.Add(new ExternalServiceOptions { Type = "turn", Host = "b.example", UseSharedSecret = true, Ttl = TimeSpan.FromMinutes(1) });
        options.Services.Add(new ExternalServiceOptions { Type = "stun", Host = "c.example", Expires = ProsodyTestTime.AddDays(7), Restricted = true });

        var services = new ExternalServiceDiscovery(options, "localhost").Services(ProsodyTestTime);

        Assert.Equal(TurnRestCredentials.Create("k", ProsodyTestTime.AddMinutes(5), null).Username, services[0].Username);
        Assert.Null(services[0].Expires); // a lifetime of the section's: not announced, as Prosody
        Assert.Equal(TurnRestCredentials.Create("k", ProsodyTestTime.AddMinutes(1), null).Username, services[1].Username);
        Assert.Equal(ProsodyTestTime.AddMinutes(1), services[1].Expires);
        Assert.Equal(new ExternalService("stun", null, "c.example", null, null, null, ProsodyTestTime.AddDays(7), Restricted: true), services[2]);
    }

    [Fact]
    public void A_configuration_without_types_or_with_a_missing_shared_secret_is_refused()
    {
        var untyped = new ExternalServicesOptions();
        untyped.Services.Add(new ExternalServiceOptions { Host = "stun.example" });
        var unshared = new ExternalServicesOptions();
        unshared.Services.Add(new ExternalServiceOptions { Type = "turn", UseSharedSecret = true });

        Assert.Equal("Xmpp:ExternalServices:Services:0 has no Type", untyped.Problem());
        Assert.Contains("Xmpp:ExternalServices:Secret", unshared.Problem(), StringComparison.Ordinal);
        Assert.Null(ProsodyTestServices().Problem());
        Assert.False(new ExternalServicesOptions().Any);
    }
}
