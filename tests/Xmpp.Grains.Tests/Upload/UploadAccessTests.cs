using Microsoft.Extensions.Options;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Upload;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Upload;

/// <summary>Who gets slots, and when the service is there at all: <see cref="UploadService"/> on its own.</summary>
public sealed class UploadAccessTests
{
    private static Element Request(string from) =>
        XmlText.Parse($"<iq type='get' id='s1' to='upload.localhost' from='{from}'><request xmlns='urn:xmpp:http:upload:0' filename='a.txt' size='3'/></iq>");

    [Fact]
    public void Only_the_servers_accounts_get_slots()
    {
        var router = new Router();
        var service = Service(router, o => o.Upload.PublicUrl = "https://chat.example/upload");
        Assert.True(service.IsOn);

        service.Handle(Request("mallory@elsewhere.example/x"), null);
        Assert.Equal((StanzaError.TypeAuth, "forbidden"), router.Bounced.Select(e => (e.Type, e.Condition)).Single());

        service.Handle(Request("romeo@localhost/desk"), null);
        Assert.Equal("romeo@localhost", router.ToGrain.Single());
    }

    [Fact]
    public void Without_a_url_to_serve_files_at_the_service_is_an_unknown_domain()
    {
        var router = new Router();
        var service = Service(router, _ => { });
        Assert.False(service.IsOn);
        Assert.Null(service.DiscoName);

        service.Handle(Request("romeo@localhost/desk"), null);
        Assert.Equal(StanzaRouter.RemoteDomainRefused, router.Bounced.Single());
        Assert.Empty(router.ToGrain);
    }

    [Fact]
    public void A_disabled_service_is_off_even_with_a_public_url()
    {
        var service = Service(new Router(), o =>
        {
            o.Upload.PublicUrl = "https://chat.example/upload";
            o.Upload.Enabled = false;
        });
        Assert.False(service.IsOn);
    }

    private static UploadService Service(IStanzaRouter router, Action<XmppOptions> configure)
    {
        var options = new XmppOptions();
        configure(options);
        var wrapped = Options.Create(options);
        return new UploadService(router, new UploadLocation(wrapped), wrapped);
    }

    private sealed class Router : IStanzaRouter
    {
        public List<StanzaError> Bounced { get; } = [];

        public List<string> ToGrain { get; } = [];

        public void Route(Element stanza, SessionAddress? sender = null) => throw new InvalidOperationException("nothing is answered here");

        public void Bounce(Element stanza, StanzaError error) => Bounced.Add(error);

        public void SendToGrain<TGrain, TStanza>(string key, TStanza stanza, Func<TGrain, IReadOnlyList<TStanza>, Task> handOver)
            where TGrain : IGrainWithStringKey
            where TStanza : class => ToGrain.Add(key);

        public Task WhenDrainedAsync() => Task.CompletedTask;
    }
}
