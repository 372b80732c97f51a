using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// HTTP File Upload (XEP-0363) end to end on a real server: a slot asked for over XMPP, the file
/// PUT to its URL and read back from it on the server's HTTP port, as a browser client would.
/// </summary>
public sealed class UploadTests
{
    private const string Origin = "https://web.example";

    [Fact]
    public async Task A_slot_takes_one_upload_of_its_size_and_type_and_serves_it_back_to_browsers()
    {
        await using var server = await TestServer.StartAsync("--ws-port", "-1");
        await using var client = await LoginAsync(server, "romeo");
        using var http = new HttpClient();
        var content = Encoding.UTF8.GetBytes("But soft, what light through yonder window breaks?");
        var slot = await RequestSlotAsync(client, "balcony scene.txt", content.Length, "text/plain");
        Assert.Equal(slot.Get, slot.Put);
        Assert.StartsWith($"http://localhost:{server.Server.WebSocketEndpoint!.Port}/upload/", slot.Put, StringComparison.Ordinal);
        Assert.EndsWith("/balcony%20scene.txt", slot.Put, StringComparison.Ordinal);

        // A browser asks first whether it may PUT with these headers from its origin.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, slot.Put);
        preflight.Headers.Add("Origin", Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using (var allowed = await http.SendAsync(preflight))
        {
            Assert.True(allowed.IsSuccessStatusCode, $"preflight: {allowed.StatusCode}");
            Assert.Equal(Origin, Header(allowed, "Access-Control-Allow-Origin"));
            Assert.Equal("true", Header(allowed, "Access-Control-Allow-Credentials"));
            Assert.Contains("PUT", Header(allowed, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
            Assert.Contains("authorization", Header(allowed, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        }

        using (var unauthorized = await http.SendAsync(Put(slot.Put, null, content, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }

        using (var forged = await http.SendAsync(Put(slot.Put, slot.Authorization + "x", content, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        using (var wrongType = await http.SendAsync(Put(slot.Put, slot.Authorization, content, "text/html")))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        }

        using (var tooShort = await http.SendAsync(Put(slot.Put, slot.Authorization, content[..^1], "text/plain")))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooShort.StatusCode); // Prosody's answer to any other size
        }

        using (var stored = await http.SendAsync(Put(slot.Put, slot.Authorization, content, "text/plain", Origin)))
        {
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            Assert.Equal(Origin, Header(stored, "Access-Control-Allow-Origin"));
        }

        using (var again = await http.SendAsync(Put(slot.Put, slot.Authorization, content, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using var get = new HttpRequestMessage(HttpMethod.Get, slot.Get);
        get.Headers.Add("Origin", Origin);
        using var served = await http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(content, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/plain", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline; filename*=UTF-8''balcony%20scene.txt", served.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal(Origin, Header(served, "Access-Control-Allow-Origin"));
        Assert.Contains("immutable", Header(served, "Cache-Control"), StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(served, "X-Content-Type-Options"));
        Assert.NotNull(served.Content.Headers.LastModified);

        // A resumed download (Prosody serves ranges from an offset to the end).
        using var resume = new HttpRequestMessage(HttpMethod.Get, slot.Get);
        resume.Headers.Range = new RangeHeaderValue(9, null);
        using var rest = await http.SendAsync(resume);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal(content[9..], await rest.Content.ReadAsByteArrayAsync());

        // A token is for its own slot only; an unknown slot has nothing to serve.
        var other = await RequestSlotAsync(client, "other.bin", 3, null);
        using (var elsewhere = await http.SendAsync(Put(slot.Put, other.Authorization, [1, 2, 3], "application/octet-stream")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        }

        using (var unknown = await http.GetAsync(other.Get))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // Without a content type in the request, any is taken and the file is served as bytes, to download.
        using (var untyped = await http.SendAsync(Put(other.Put, other.Authorization, [1, 2, 3], "image/png")))
        {
            Assert.Equal(HttpStatusCode.Created, untyped.StatusCode);
        }

        using var bytes = await http.GetAsync(other.Get);
        Assert.Equal("application/octet-stream", bytes.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", bytes.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task The_per_account_quota_refuses_slots_beyond_it_and_a_chunked_upload_must_be_the_slots_size()
    {
        await using var server = await TestServer.StartAsync("--ws-port", "-1", "--Xmpp:Upload:MaxFileSize=100", "--Xmpp:Upload:QuotaPerAccount=150");
        await using var romeo = await LoginAsync(server, "romeo");
        var slot = await RequestSlotAsync(romeo, "first.bin", 100, null);

        await romeo.SendAsync("<iq type='get' id='q2' to='upload.localhost'><request xmlns='urn:xmpp:http:upload:0' filename='second.bin' size='51'/></iq>");
        var refused = await romeo.ReadUntilAsync(e => e.Id == "q2");
        Assert.Equal(new StanzaError("wait", "resource-constraint", "Daily quota reached"), StanzaError.FromStanza(refused));

        // What is left of the quota is still there, and other accounts have their own.
        await RequestSlotAsync(romeo, "third.bin", 50, null);
        await using var juliet = await LoginAsync(server, "juliet");
        await RequestSlotAsync(juliet, "hers.bin", 100, null);

        // Kestrel cannot check a chunked body's length before reading it: the slot's size is checked as it arrives.
        using var http = new HttpClient();
        using var chunked = Put(slot.Put, slot.Authorization, new byte[101], "application/octet-stream");
        chunked.Headers.TransferEncodingChunked = true;
        using (var tooLong = await http.SendAsync(chunked))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);
        }

        using var exact = Put(slot.Put, slot.Authorization, new byte[100], "application/octet-stream");
        exact.Headers.TransferEncodingChunked = true;
        using var stored = await http.SendAsync(exact);
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
    }

    [Fact]
    public async Task Expired_files_are_no_longer_served_and_the_sweep_deletes_them()
    {
        await using var server = await TestServer.StartAsync("--ws-port", "-1", "--Xmpp:Upload:Expiry=00:00:02");
        await using var client = await LoginAsync(server, "romeo");
        var slot = await RequestSlotAsync(client, "fleeting.txt", 5, "text/plain");
        using var http = new HttpClient();
        using (var stored = await http.SendAsync(Put(slot.Put, slot.Authorization, "brief"u8.ToArray(), "text/plain")))
        {
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        }

        var folder = Path.Combine(server.DataDirectory, "upload");
        Assert.NotEmpty(Directory.GetFiles(folder));
        using (var served = await http.GetAsync(slot.Get))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        await Eventually.WaitUntilAsync(() => Directory.GetFiles(folder).Length == 0, TimeSpan.FromSeconds(10));
        using var gone = await http.GetAsync(slot.Get);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Files_are_served_on_the_http_port_and_never_on_the_management_port()
    {
        await using var server = await TestServer.StartAsync("--ws-port", "-1", "--management-port", "-1");
        await using var client = await LoginAsync(server, "romeo");
        var slot = await RequestSlotAsync(client, "note.txt", 2, "text/plain");
        using var http = new HttpClient();
        using (var stored = await http.SendAsync(Put(slot.Put, slot.Authorization, "hi"u8.ToArray(), "text/plain")))
        {
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        }

        var onManagementPort = new UriBuilder(slot.Get) { Host = "127.0.0.1", Port = server.Server.ManagementEndpoint!.Port }.Uri;
        using var refused = await http.GetAsync(onManagementPort);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Without_an_http_port_or_public_url_the_service_is_off()
    {
        await using var server = await TestServer.StartAsync("--ws-port", "0");
        await using var client = await LoginAsync(server, "romeo");
        await client.SendAsync("<iq type='get' id='s1' to='upload.localhost'><request xmlns='urn:xmpp:http:upload:0' filename='a.txt' size='1'/></iq>");
        Assert.Equal("not-allowed", StanzaError.FromStanza(await client.ReadUntilAsync(e => e.Id == "s1"))?.Condition); // as any unknown domain

        await client.SendAsync("<iq type='get' id='d1' to='localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        var items = await client.ReadUntilAsync(e => e.Id == "d1");
        Assert.DoesNotContain(items.FirstElement()!.Elements(), i => i.GetAttribute("jid") == "upload.localhost");
    }

    private static async Task<XmppTestClient> LoginAsync(TestServer server, string user)
    {
        await server.AddUserAsync(user, "secret");
        return await server.LoginAsync(user, "secret");
    }

    private static async Task<Slot> RequestSlotAsync(XmppTestClient client, string fileName, long size, string? contentType)
    {
        var id = Guid.NewGuid().ToString("N");
        var request = new Element("request", Namespaces.HttpUpload).SetAttribute("filename", fileName).SetAttribute("size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)).SetAttribute("content-type", contentType);
        var iq = new Element(Stanza.Iq) { Id = id, Type = "get", To = "upload.localhost" };
        iq.Add(request);
        await client.SendAsync(iq);
        var reply = await client.ReadUntilAsync(e => e.Id == id);
        Assert.True(reply.Type == "result", reply.ToString());
        var slot = reply.Child("slot", Namespaces.HttpUpload)!;
        var put = slot.Child("put", Namespaces.HttpUpload)!;
        var header = put.Child("header", Namespaces.HttpUpload)!;
        Assert.Equal("Authorization", header.GetAttribute("name"));
        return new Slot(put.GetAttribute("url")!, slot.Child("get", Namespaces.HttpUpload)!.GetAttribute("url")!, header.Text);
    }

    private static HttpRequestMessage Put(string url, string? authorization, byte[] content, string contentType, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : string.Empty;

    private sealed record Slot(string Put, string Get, string Authorization);
}
