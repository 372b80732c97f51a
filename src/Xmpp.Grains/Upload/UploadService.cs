using Microsoft.Extensions.Options;
using Xmpp.Grains.Routing;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.Upload;

/// <summary>
/// The router's entry to the upload service domain (XEP-0363), shaped as Prosody's
/// mod_http_file_share component: disco#info with the size limit form, and slot requests, which
/// are checked here and counted and answered by the account's <see cref="IUploadQuotaGrain"/>.
/// Stateless. The service is off, like an unknown domain, when disabled or when no HTTP endpoint
/// serves its URLs (<see cref="UploadLocation"/>).
/// </summary>
public sealed class UploadService : IDomainService
{
    /// <summary>The identity's name when none is configured (Prosody's).</summary>
    public const string DefaultName = "HTTP File Upload";

    private readonly IStanzaRouter _router;
    private readonly UploadLocation _location;
    private readonly XmppOptions _xmpp;
    private readonly UploadOptions _options;

    public UploadService(IStanzaRouter router, UploadLocation location, IOptions<XmppOptions> options)
    {
        _router = router;
        _location = location;
        _xmpp = options.Value;
        _options = _xmpp.Upload;
        Domain = _options.HostFor(_xmpp.Domain);
    }

    public string Domain { get; }

    /// <summary>Listed by the server, like a Prosody component: by name only when one is configured.</summary>
    public string? DiscoName => IsOn ? _options.Name ?? string.Empty : null;

    public bool IsOn => _options.Enabled && _location.BaseUrl is not null;

    public void Handle(Element stanza, SessionAddress? sender)
    {
        if (!IsOn)
        {
            _router.Bounce(stanza, StanzaRouter.RemoteDomainRefused);
            return;
        }

        try
        {
            // The service has no users nor resources and takes only requests; this is Prosody's
            // answer to what no module of a component handles (errors and results are dropped).
            if (!Jid.TryParse(stanza.To, out var to) || to.Local is not null || to.Resource is not null || !Stanza.IsIqRequest(stanza))
            {
                throw new StanzaErrorException(StanzaError.ServiceUnavailable());
            }

            HandleRequest(stanza);
        }
        catch (StanzaErrorException e)
        {
            _router.Bounce(stanza, e.Error);
        }
    }

    private void HandleRequest(Element iq)
    {
        var payload = iq.FirstElement();
        var get = iq.Type == "get";
        switch (payload?.Namespace, payload?.Name)
        {
            case (Namespaces.DiscoInfo, "query") when get:
                RequireNoNode(payload!);
                _router.Route(Stanza.Result(iq, DiscoInfo()));
                break;
            case (Namespaces.DiscoItems, "query") when get:
                RequireNoNode(payload!);
                _router.Route(Stanza.Result(iq, new Element("query", Namespaces.DiscoItems)));
                break;
            case (Namespaces.HttpUpload, "request") when get:
                RequestSlot(iq, payload!);
                break;
            default:
                throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }
    }

    /// <summary>Checked here in Prosody's order (who, name, size, type); the quota is counted by the account's grain, which answers.</summary>
    private void RequestSlot(Element iq, Element request)
    {
        if (!Jid.TryParse(iq.From, out var from) || from.Local is null || from.Domain != _xmpp.Domain)
        {
            throw new StanzaErrorException(UploadErrors.Access);
        }

        _ = SlotRequest.Read(request, _options);
        _router.SendToGrain<IUploadQuotaGrain, Element>(from.Bare.ToString(), iq, static (quota, requests) => quota.RequestSlotsAsync(requests));
    }

    private static void RequireNoNode(Element query)
    {
        if (!string.IsNullOrEmpty(query.GetAttribute("node")))
        {
            throw new StanzaErrorException(StanzaError.ItemNotFound("Node does not exist"));
        }
    }

    /// <summary>XEP-0363 §3 as Prosody answers it: identity, features (its disco's first), and the XEP-0128 form with max-file-size.</summary>
    private Element DiscoInfo()
    {
        var query = new Element("query", Namespaces.DiscoInfo);
        query.AddChild("identity", Namespaces.DiscoInfo)
            .SetAttribute("category", "store")
            .SetAttribute("type", "file")
            .SetAttribute("name", _options.Name ?? DefaultName);
        foreach (var feature in new[] { Namespaces.DiscoInfo, Namespaces.DiscoItems, Namespaces.HttpUpload })
        {
            query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", feature);
        }

        var form = new DataForm(DataForm.Result).WithFormType(Namespaces.HttpUpload);
        form.Add(new DataFormField("max-file-size")).WithValue(_options.MaxFileSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        query.Add(form.ToElement());
        return query;
    }
}
