using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Server;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Server;

/// <summary>The server's own answers about contact addresses and external services.</summary>
public sealed class ServerServiceTests
{
    // Only its presence matters: the request came from a client's session.
    private static readonly SessionAddress ClientSession = new("romeo@localhost/balcony", null!, null!);

    private static (ServerService Server, RecordingRouter Router) NewServer(Action<XmppOptions> configure)
    {
        var options = new XmppOptions();
        configure(options);
        var router = new RecordingRouter();
        return (new ServerService(router, Options.Create(options), TimeProvider.System, new ServiceCollection().BuildServiceProvider()), router);
    }

    private static void WithStun(XmppOptions options) =>
        options.ExternalServices.Services.Add(new ExternalServiceOptions { Type = "stun", Transport = "udp", Host = "stun.example", Port = 3478 });

    private static Element Request(string payload) =>
        XmlText.Parse($"<iq xmlns='jabber:client' type='get' id='q' from='romeo@localhost/balcony' to='localhost'>{payload}</iq>");

    [Fact]
    public void External_services_are_announced_and_given_to_the_servers_clients()
    {
        var (server, router) = NewServer(WithStun);

        server.Handle(Request("<query xmlns='http://jabber.org/protocol/disco#info'/>"), ClientSession);
        server.Handle(Request("<services xmlns='urn:xmpp:extdisco:2'/>"), ClientSession);

        var features = router.Routed[0].FirstElement()!.Elements("feature", Namespaces.DiscoInfo).Select(f => f.GetAttribute("var")).ToList();
        Assert.Contains(Namespaces.ExternalServices, features);
        Assert.Contains(Namespaces.ExternalServicesLegacy, features);
        Assert.Equal("result", router.Routed[1].Type);
        Assert.Equal("stun.example", router.Routed[1].FirstElement()!.FirstElement()!.GetAttribute("host"));
    }

    [Fact]
    public void Anyone_but_a_client_of_the_server_is_refused_the_services()
    {
        var (server, router) = NewServer(WithStun);

        server.Handle(Request("<services xmlns='urn:xmpp:extdisco:2'/>"), sender: null);
        server.Handle(Request("<credentials xmlns='urn:xmpp:extdisco:2'><service type='stun' host='stun.example'/></credentials>"), sender: null);

        Assert.All(router.Routed, reply =>
        {
            var error = StanzaError.FromStanza(reply)!;
            Assert.Equal(("forbidden", StanzaError.TypeAuth), (error.Condition, error.Type));
        });
    }

    [Fact]
    public void Without_services_xep_0215_is_neither_announced_nor_answered()
    {
        var (server, router) = NewServer(_ => { });

        server.Handle(Request("<query xmlns='http://jabber.org/protocol/disco#info'/>"), ClientSession);
        server.Handle(Request("<services xmlns='urn:xmpp:extdisco:2'/>"), ClientSession);

        Assert.DoesNotContain(
            router.Routed[0].FirstElement()!.Elements("feature", Namespaces.DiscoInfo),
            f => f.GetAttribute("var") is Namespaces.ExternalServices or Namespaces.ExternalServicesLegacy);
        Assert.Null(router.Routed[0].FirstElement()!.Child("x", Namespaces.DataForms));
        Assert.Equal("service-unavailable", StanzaError.FromStanza(router.Routed[1])!.Condition);
    }

    [Fact]
    public void Contact_addresses_follow_the_features_in_disco_info()
    {
        var (server, router) = NewServer(o => o.ContactAddresses.Admin.Add("xmpp:admin@localhost"));

        server.Handle(Request("<query xmlns='http://jabber.org/protocol/disco#info'/>"), ClientSession);

        var query = router.Routed[0].FirstElement()!;
        var form = query.Elements().Last();
        Assert.Equal(("x", Namespaces.DataForms), (form.Name, form.Namespace));
        Assert.Equal(Namespaces.ServerInfo, form.Elements().First().ChildText("value", Namespaces.DataForms));
    }

    /// <summary>Keeps what the service routes (its replies; bounces are routed as error replies).</summary>
    private sealed class RecordingRouter : IStanzaRouter
    {
        public List<Element> Routed { get; } = [];

        public void Route(Element stanza, SessionAddress? sender = null) => Routed.Add(stanza);

        public void Bounce(Element stanza, StanzaError error) => Routed.Add(Stanza.ErrorReply(stanza, error));

        public void SendToGrain<TGrain, TStanza>(string key, TStanza stanza, Func<TGrain, IReadOnlyList<TStanza>, Task> handOver)
            where TGrain : IGrainWithStringKey
            where TStanza : class => throw new NotSupportedException();

        public Task WhenDrainedAsync() => Task.CompletedTask;
    }
}
