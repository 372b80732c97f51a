using Microsoft.Extensions.DependencyInjection;
using Xmpp.Grains.Tests.Muc;
using Xmpp.Grains.Tests.PubSub;
using Xmpp.Grains.Upload;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Upload;

/// <summary>The upload service (XEP-0363) at upload.localhost, through the accounts' grains as clients reach it.</summary>
public sealed class UploadServiceTests : IAsyncDisposable
{
    private const string Service = "upload.localhost";
    private const string PublicUrl = "https://chat.example/upload";

    private readonly GrainTestCluster _cluster = new(xmpp: o =>
    {
        o.Upload.PublicUrl = PublicUrl + "/";
        o.Upload.MaxFileSize = 1000;
        o.Upload.QuotaPerAccount = 1500;
        o.Upload.AllowedContentTypes.Add("image/*");
        o.Upload.AllowedContentTypes.Add("text/plain");
    }, silos: 2);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task The_server_lists_the_service_whose_disco_info_gives_the_size_limit()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "desk");
        var items = await romeo.QueryAsync("<iq type='get' id='i1' to='localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        Assert.Contains(items.FirstElement()!.Elements(), i => i.GetAttribute("jid") == Service && i.GetAttribute("name") is null);

        var info = await romeo.QueryAsync($"<iq type='get' id='i2' to='{Service}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.Equal(
            "<query xmlns='http://jabber.org/protocol/disco#info'><identity category='store' type='file' name='HTTP File Upload'/>"
            + "<feature var='http://jabber.org/protocol/disco#info'/><feature var='http://jabber.org/protocol/disco#items'/><feature var='urn:xmpp:http:upload:0'/>"
            + "<x xmlns='jabber:x:data' type='result'><field type='hidden' var='FORM_TYPE'><value>urn:xmpp:http:upload:0</value></field>"
            + "<field type='text-single' var='max-file-size'><value>1000</value></field></x></query>",
            info.FirstElement()!.ToString());
    }

    [Fact]
    public async Task A_slot_points_at_the_public_url_and_its_token_holds_what_the_request_asked_for()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "desk");
        var reply = await romeo.QueryAsync(Request("r1", "photo (1).jpg", 800, "image/jpeg"));
        Assert.Equal("result", reply.Type);
        var slot = reply.Child("slot", Namespaces.HttpUpload)!;
        var url = slot.Child("get", Namespaces.HttpUpload)!.GetAttribute("url")!;
        var put = slot.Child("put", Namespaces.HttpUpload)!;
        Assert.Equal(url, put.GetAttribute("url"));
        var id = url[(PublicUrl.Length + 1)..url.LastIndexOf('/')];
        Assert.Equal($"{PublicUrl}/{id}/photo%20%281%29.jpg", url);

        var header = put.Child("header", Namespaces.HttpUpload)!;
        Assert.Equal("Authorization", header.GetAttribute("name"));
        Assert.StartsWith("Bearer ", header.Text, StringComparison.Ordinal);
        var key = await SecretOfSiloAsync(1); // the other silo checks the same token
        var claims = SlotToken.Verify(header.Text["Bearer ".Length..], key);
        Assert.Equal(new SlotClaims(id, "photo (1).jpg", 800, "image/jpeg", claims!.Expires), claims);
        Assert.InRange(claims.Expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), SlotToken.Lifetime);

        var another = await romeo.QueryAsync(Request("r2", "photo (1).jpg", 80, "image/jpeg"));
        Assert.NotEqual(url, another.Descendant("get")!.GetAttribute("url"));
    }

    [Fact]
    public async Task Requests_are_refused_with_prosodys_errors()
    {
        var romeo = await _cluster.ConnectAsync("romeo", "desk");
        var tooLarge = StanzaError.FromStanza(await romeo.QueryAsync(Request("e1", "big.png", 1001, "image/png")))!;
        Assert.Equal(("modify", "not-acceptable", "File too large"), (tooLarge.Type, tooLarge.Condition, tooLarge.Text));
        Assert.Equal("<file-too-large xmlns='urn:xmpp:http:upload:0'><max-file-size>1000</max-file-size></file-too-large>", tooLarge.ApplicationCondition?.ToString());

        Assert.Equal(new StanzaError("modify", "not-acceptable", "File type not allowed"), StanzaError.FromStanza(await romeo.QueryAsync(Request("e2", "page.html", 10, "text/html"))));
        Assert.Equal(new StanzaError("modify", "not-acceptable", "File type not allowed"), StanzaError.FromStanza(await romeo.QueryAsync(Request("e3", "blob", 10, null))));
        Assert.Equal(new StanzaError("modify", "bad-request", "Invalid filename"), StanzaError.FromStanza(await romeo.QueryAsync(Request("e4", "a/b.png", 10, "image/png"))));
        Assert.Equal(new StanzaError("modify", "bad-request", "File size must be positive integer"), StanzaError.FromStanza(await romeo.QueryAsync(Request("e5", "a.png", -3, "image/png"))));
        Assert.Equal("result", (await romeo.QueryAsync(Request("ok", "a.PNG", 10, "IMAGE/PNG"))).Type);
    }

    [Fact]
    public async Task The_quota_counts_an_accounts_slots_on_every_silo_and_across_a_restart()
    {
        var desk = await _cluster.ConnectAsync("romeo", "desk");
        var phone = await _cluster.ConnectAsync("romeo", "phone", silo: 1);
        Assert.Equal("result", (await desk.QueryAsync(Request("q1", "a.png", 1000, "image/png"))).Type);
        Assert.Equal(
            new StanzaError("wait", "resource-constraint", "Daily quota reached"),
            StanzaError.FromStanza(await phone.QueryAsync(Request("q2", "b.png", 501, "image/png"))));

        await _cluster.RestartAsync();
        desk = await _cluster.ConnectAsync("romeo", "desk");
        Assert.Equal("resource-constraint", StanzaError.FromStanza(await desk.QueryAsync(Request("q3", "b.png", 501, "image/png")))?.Condition);
        Assert.Equal("result", (await desk.QueryAsync(Request("q4", "c.png", 500, "image/png"))).Type);

        var juliet = await _cluster.ConnectAsync("juliet", "balcony");
        Assert.Equal("result", (await juliet.QueryAsync(Request("q5", "d.png", 1000, "image/png"))).Type);
    }

    [Fact]
    public async Task The_generated_secret_is_the_clusters_and_outlives_a_restart()
    {
        var first = await SecretOfSiloAsync(0);
        Assert.Equal(32, first.Length);
        Assert.Equal(first, await SecretOfSiloAsync(1));

        await _cluster.RestartAsync();
        Assert.Equal(first, await SecretOfSiloAsync(1));
    }

    private async Task<byte[]> SecretOfSiloAsync(int silo) =>
        await (await _cluster.SilosAsync())[silo].GetRequiredService<UploadSecret>().GetAsync();

    private static string Request(string id, string fileName, long size, string? contentType)
    {
        var request = new Element("request", Namespaces.HttpUpload).SetAttribute("filename", fileName)
            .SetAttribute("size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)).SetAttribute("content-type", contentType);
        var iq = new Element(Stanza.Iq) { Id = id, Type = "get", To = Service };
        iq.Add(request);
        return XmlText.Serialize(iq);
    }
}
