using Xmpp.Grains.Server;
using Xmpp.Grains.Users.State;

namespace Xmpp.Grains.Users;

// IQs addressed to the account (RFC 6120 §8.2.3, RFC 6121 §8.5): answered here for the user's own
// requests and, where the XEP allows, for others'; passed to a full JID's session otherwise.
public sealed partial class UserGrain
{
    private async Task HandleOutboundIqAsync(UserSession session, Element iq, Jid? to)
    {
        ValidateIq(iq);
        if (to is not null && to != _bare)
        {
            _outbox.Route(iq, session.Route.Address);
            return;
        }

        if (!Stanza.IsIqRequest(iq))
        {
            // A client's answer to a push or to a features query from its own account.
            await HandleCapsReplyAsync(iq, session.FullJid);
            return;
        }

        var reply = await HandleOwnRequestAsync(session, iq);
        if (reply is not null)
        {
            _outbox.Add(session.Route, reply);
            SendPepAfterReply();
        }
    }

    private async Task HandleInboundIqAsync(Element iq, Jid from, Jid to)
    {
        if (to.IsFull)
        {
            if (SessionOf(to) is { } session)
            {
                _outbox.Add(session.Route, iq);
            }
            else if (Stanza.IsIqRequest(iq))
            {
                throw new StanzaErrorException(StanzaError.ServiceUnavailable());
            }

            return;
        }

        if (!Stanza.IsIqRequest(iq))
        {
            if (!await HandlePushReplyAsync(iq))
            {
                await HandleCapsReplyAsync(iq, from);
            }
        }
        else if (iq.Elements().Count() == 1 && IsPepRequest(iq.FirstElement()!))
        {
            _outbox.Route(await HandlePepRequestFromOtherAsync(iq, from));
            SendPepAfterReply();
        }
        else
        {
            _outbox.Route(HandleRequestFromOther(iq, from));
        }
    }

    private async Task<Element> HandlePepRequestFromOtherAsync(Element iq, Jid from)
    {
        try
        {
            return await HandlePepRequestAsync(iq, from);
        }
        catch (StanzaErrorException e)
        {
            return Stanza.ErrorReply(iq, e.Error);
        }
    }

    /// <summary>RFC 6120 §8.2.3: a request has an id and exactly one payload; any IQ has a known type.</summary>
    private static void ValidateIq(Element iq)
    {
        var isRequest = Stanza.IsIqRequest(iq);
        if (!isRequest && iq.Type is not ("result" or "error"))
        {
            throw new StanzaErrorException(StanzaError.BadRequest("Invalid IQ type"));
        }

        if (isRequest && (string.IsNullOrEmpty(iq.Id) || iq.Elements().Count() != 1))
        {
            throw new StanzaErrorException(StanzaError.BadRequest("An IQ request needs an id and exactly one child element"));
        }
    }

    private async Task<Element?> HandleOwnRequestAsync(UserSession session, Element iq)
    {
        var payload = iq.FirstElement()!;
        if (IsPepRequest(payload))
        {
            return await HandlePepRequestAsync(iq, session.FullJid);
        }

        var get = iq.Type == "get";
        switch (payload.Namespace, payload.Name)
        {
            case (Namespaces.Roster, "query"):
                return get ? HandleRosterGet(session, iq) : await HandleRosterSetAsync(session, iq);
            case (Namespaces.Blocking, "blocklist") when get:
                return HandleBlocklistGet(session, iq);
            case (Namespaces.Blocking, "block" or "unblock") when !get:
                return await HandleBlocklistChangeAsync(session, iq, payload);
            case (Namespaces.VCard, "vCard") when !get:
                return await HandleVCardSetAsync(iq, payload);
            case (Namespaces.PrivateStorage, "query"):
                return await HandlePrivateStorageAsync(iq, payload);
            case (Namespaces.Carbons, "enable" or "disable") when !get:
                return HandleCarbonsRequest(iq, payload, session);
            case (Namespaces.Push, "enable" or "disable") when !get:
                return await HandlePushRequestAsync(session, iq, payload);
            case (Namespaces.Mam, _) when _options.Archive.Enabled:
                return await HandleArchiveRequestAsync(session, iq, payload);
            default:
                return HandleAccountRequest(iq, isOwner: true);
        }
    }

    /// <summary>Requests to another user's bare JID, answered by the server on that account's behalf.</summary>
    private Element HandleRequestFromOther(Element iq, Jid from)
    {
        try
        {
            return HandleAccountRequest(iq, isOwner: false, IsContactSubscribed(from.Bare.ToString()));
        }
        catch (StanzaErrorException e)
        {
            return Stanza.ErrorReply(iq, e.Error);
        }
    }

    /// <summary>What anyone may ask of an account, with the owner and subscribed contacts seeing more (XEP-0030, XEP-0012, XEP-0054).</summary>
    private Element HandleAccountRequest(Element iq, bool isOwner, bool isSubscribed = false)
    {
        var payload = iq.FirstElement()!;
        var get = iq.Type == "get";
        var trusted = isOwner || isSubscribed;
        switch (payload.Namespace, payload.Name)
        {
            case (Namespaces.VCard, "vCard") when get:
                return Stanza.Result(iq, _profile.State.VCard is { } vcard ? XmlText.Parse(vcard) : new Element("vCard", Namespaces.VCard));
            case (Namespaces.DiscoInfo, "query") when get && trusted:
                return AccountDiscoInfo(iq, payload, isOwner);
            case (Namespaces.DiscoItems, "query") when get && trusted:
                return AccountDiscoItems(iq, payload, isOwner);
            case (Namespaces.Last, "query") when get:
                return trusted ? LastActivity(iq) : throw new StanzaErrorException(StanzaError.Forbidden());
            case (Namespaces.Ping, "ping") when get:
                return Stanza.Result(iq);
            case (Namespaces.Time, "time") when get:
                return Stanza.Result(iq, ServerService.CurrentTime(Now));
            default:
                throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }
    }

    private Element AccountDiscoInfo(Element iq, Element payload, bool isOwner)
    {
        if (!string.IsNullOrEmpty(payload.GetAttribute("node")))
        {
            throw new StanzaErrorException(StanzaError.ItemNotFound("Node does not exist"));
        }

        var isAdmin = _options.Admins.Contains(_bareText, StringComparer.Ordinal);
        var query = new Element("query", Namespaces.DiscoInfo);
        query.AddChild("identity", Namespaces.DiscoInfo)
            .SetAttribute("category", "account")
            .SetAttribute("type", isAdmin ? "admin" : "registered");
        query.AddChild("identity", Namespaces.DiscoInfo).SetAttribute("category", "pubsub").SetAttribute("type", "pep");
        var features = AccountFeatures.Concat(PubSub.PubSubFeatures.Pep).Concat(BookmarkFeatures);
        foreach (var feature in _options.Archive.Enabled ? features.Concat(ArchiveFeatures) : features)
        {
            query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", feature);
        }

        return WithOwnAddress(Stanza.Result(iq, query), isOwner);
    }

    private Element AccountDiscoItems(Element iq, Element payload, bool isOwner)
    {
        if (!string.IsNullOrEmpty(payload.GetAttribute("node")))
        {
            throw new StanzaErrorException(StanzaError.ItemNotFound("Node does not exist"));
        }

        var query = new Element("query", Namespaces.DiscoItems);
        foreach (var node in VisiblePepNodes(Jid.Parse(iq.From!)))
        {
            query.AddChild("item", Namespaces.DiscoItems).SetAttribute("jid", _bareText).SetAttribute("node", node);
        }

        return WithOwnAddress(Stanza.Result(iq, query), isOwner);
    }

    /// <summary>Like Prosody, replies about the own account carry the account's address (some clients insist).</summary>
    private Element WithOwnAddress(Element reply, bool isOwner)
    {
        if (isOwner)
        {
            reply.From ??= _bareText;
        }

        return reply;
    }

    private static readonly string[] AccountFeatures =
    [
        Namespaces.DiscoInfo,
        Namespaces.DiscoItems,
        Namespaces.VCard,
        Namespaces.Last,
        Namespaces.Ping,
        Namespaces.Time,
        Namespaces.Push,
    ];

    /// <summary>XEP-0411 §3 and XEP-0402 §3.1: the older bookmark forms are kept in step with bookmarks 2.</summary>
    private static readonly string[] BookmarkFeatures = [Namespaces.Bookmarks2Compat, Namespaces.Bookmarks2CompatPep, Namespaces.BookmarksConversion];

    /// <summary>XEP-0313 §7 and XEP-0359 §6: advertised on the account when it has an archive.</summary>
    private static readonly string[] ArchiveFeatures = [Namespaces.Mam, Namespaces.MamExtended, Namespaces.StanzaId];
}
