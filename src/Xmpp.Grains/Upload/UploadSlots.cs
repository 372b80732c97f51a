using Xmpp.Storage.Uploads;

namespace Xmpp.Grains.Upload;

/// <summary>
/// Issues slots (XEP-0363 §4) as Prosody's mod_http_file_share: a new random slot id, one URL for
/// the GET and the PUT, and the signed token the PUT carries as <c>Authorization: Bearer</c>.
/// </summary>
public sealed class UploadSlots(UploadSecret secret, UploadLocation location, TimeProvider clock)
{
    internal async Task<Element> IssueAsync(Element iq, SlotRequest request)
    {
        var slot = UploadSlotId.New();
        var claims = new SlotClaims(slot, request.FileName, request.Size, request.ContentType, clock.GetUtcNow() + SlotToken.Lifetime);
        var token = SlotToken.Sign(claims, await secret.GetAsync());
        var url = location.UrlOf(slot, request.FileName);
        var payload = new Element("slot", Namespaces.HttpUpload);
        payload.AddChild("get", Namespaces.HttpUpload).SetAttribute("url", url);
        payload.AddChild("put", Namespaces.HttpUpload).SetAttribute("url", url)
            .AddChild("header", Namespaces.HttpUpload).SetAttribute("name", "Authorization").AddText("Bearer " + token);
        return Stanza.Result(iq, payload);
    }
}
