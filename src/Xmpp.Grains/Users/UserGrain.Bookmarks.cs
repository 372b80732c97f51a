using Microsoft.Extensions.Logging;
using Xmpp.Grains.PubSub;

namespace Xmpp.Grains.Users;

// Bookmarks (XEP-0402, the PEP node urn:xmpp:bookmarks:1, one item per room) kept in step with
// the older XEP-0048 storage that many clients still use, in private XML (XEP-0049) and in the PEP
// node storage:bookmarks, as Prosody's mod_bookmarks does (XEP-0411): the XEP-0402 node is the one
// copy; the older forms are read from it and written into it, and the account's resources that
// want the old node's notifications hear of every change.
public sealed partial class UserGrain
{
    private const string LegacyBookmarksNode = Namespaces.LegacyBookmarks;

    /// <summary>XEP-0402 §3: how the server keeps the node (only the account sees it; every room stays).</summary>
    private static readonly (string Var, string Value)[] Bookmarks2Configuration =
    [
        ("pubsub#persist_items", "true"),
        ("pubsub#max_items", "max"),
        ("pubsub#send_last_published_item", "never"),
        ("pubsub#access_model", "whitelist"),
    ];

    /// <summary>The account's own requests to the legacy node, served from the XEP-0402 node; null for anything else.</summary>
    private async Task<Element?> HandleLegacyBookmarksNodeAsync(Element iq, string node)
    {
        if (node != LegacyBookmarksNode || iq.FirstElement() is not { Namespace: Namespaces.PubSub } pubsub)
        {
            return null;
        }

        var action = pubsub.FirstElement();
        if (iq.Type == "get" && action?.Name == "items")
        {
            var storage = await LegacyBookmarksAsync() ?? throw new StanzaErrorException(StanzaError.ItemNotFound("Failed to retrieve bookmarks from PEP"));
            var result = new Element("pubsub", Namespaces.PubSub);
            result.AddChild("items", Namespaces.PubSub).SetAttribute("node", LegacyBookmarksNode)
                .AddChild("item", Namespaces.PubSub).SetAttribute("id", "current").Add(storage);
            return Stanza.Result(iq, result);
        }

        if (iq.Type == "set" && action?.Name == "publish"
            && action.Child("item", Namespaces.PubSub)?.Child("storage", Namespaces.LegacyBookmarks) is { } published)
        {
            await PublishBookmarksAsync(published, synchronise: true);
            return Stanza.Result(iq);
        }

        return null; // anything else about that node is plain PEP
    }

    /// <summary>The XEP-0048 storage built from the XEP-0402 items, newest first; null when the account has no such node.</summary>
    private async Task<Element?> LegacyBookmarksAsync()
    {
        if (await Bookmarks2ItemsAsync() is not { } items)
        {
            return null;
        }

        var storage = new Element("storage", Namespaces.LegacyBookmarks);
        foreach (var (room, bookmark) in Enumerable.Reverse(items))
        {
            var conference = storage.AddChild("conference", Namespaces.LegacyBookmarks).SetAttribute("jid", room)
                .SetAttribute("name", bookmark?.GetAttribute("name")).SetAttribute("autojoin", bookmark?.GetAttribute("autojoin"));
            CopyText(bookmark, conference, "nick", Namespaces.Bookmarks2, Namespaces.LegacyBookmarks);
            CopyText(bookmark, conference, "password", Namespaces.Bookmarks2, Namespaces.LegacyBookmarks);
        }

        return storage;
    }

    /// <summary>The XEP-0402 items, oldest first, by room; null when the node does not exist.</summary>
    private async Task<List<(string Room, Element? Conference)>?> Bookmarks2ItemsAsync()
    {
        if (_profile.State.PepNodes?.ContainsKey(Namespaces.Bookmarks2) != true)
        {
            return null;
        }

        var get = OwnPubSubRequest("get", out var pubsub);
        pubsub.AddChild("items", Namespaces.PubSub).SetAttribute("node", Namespaces.Bookmarks2);
        var reply = (await PepNode(Namespaces.Bookmarks2).ExecuteAsync(get, RequesterFor(_bare))).Reply;
        if (reply.Type != "result")
        {
            throw new StanzaErrorException(StanzaError.InternalServerError("Failed to retrieve bookmarks from PEP"));
        }

        return [.. reply.FirstElement()!.FirstElement()!.Elements("item", Namespaces.PubSub)
            .Select(i => (i.GetAttribute("id") ?? string.Empty, i.Child("conference", Namespaces.Bookmarks2)))];
    }

    /// <summary>
    /// XEP-0048 storage converted into XEP-0402 items: one per room, only the changed ones published.
    /// <paramref name="synchronise"/>: rooms no longer in the storage are retracted (all of them by a purge).
    /// </summary>
    private async Task PublishBookmarksAsync(Element storage, bool synchronise)
    {
        var wanted = new Dictionary<string, Element>(StringComparer.Ordinal);
        foreach (var conference in storage.Elements("conference", Namespaces.LegacyBookmarks))
        {
            if (conference.GetAttribute("jid") is { Length: > 0 } room)
            {
                wanted[room] = Bookmark(conference);
            }
        }

        var existing = await Bookmarks2ItemsAsync();
        if (existing is not null)
        {
            await RequireBookmarksResultAsync(ConfigureBookmarks2()); // the node may have been made otherwise by a client
        }

        var current = (existing ?? []).ToDictionary(i => i.Room, i => i.Conference, StringComparer.Ordinal);
        foreach (var (room, bookmark) in wanted)
        {
            if (!current.TryGetValue(room, out var before) || before is null || !SameBookmark(before, bookmark))
            {
                await RequireBookmarksResultAsync(PublishBookmark(room, bookmark));
            }
        }

        if (!synchronise || existing is null)
        {
            return;
        }

        if (wanted.Count == 0 && current.Count > 0)
        {
            var purge = OwnPubSubRequest("set", out var owner, Namespaces.PubSubOwner);
            owner.AddChild("purge", Namespaces.PubSubOwner).SetAttribute("node", Namespaces.Bookmarks2);
            await RequireBookmarksResultAsync(purge);
            return;
        }

        foreach (var room in current.Keys.Where(r => !wanted.ContainsKey(r)))
        {
            var retract = OwnPubSubRequest("set", out var pubsub);
            pubsub.AddChild("retract", Namespaces.PubSub).SetAttribute("node", Namespaces.Bookmarks2).SetAttribute("notify", "true")
                .AddChild("item", Namespaces.PubSub).SetAttribute("id", room);
            await RequireBookmarksResultAsync(retract);
        }
    }

    /// <summary>XEP-0411 §4: a XEP-0048 conference as a XEP-0402 bookmark (name and autojoin as given, nick and password).</summary>
    private static Element Bookmark(Element conference)
    {
        var bookmark = new Element("conference", Namespaces.Bookmarks2)
            .SetAttribute("name", conference.GetAttribute("name"))
            .SetAttribute("autojoin", conference.GetAttribute("autojoin"));
        CopyText(conference, bookmark, "nick", Namespaces.LegacyBookmarks, Namespaces.Bookmarks2);
        CopyText(conference, bookmark, "password", Namespaces.LegacyBookmarks, Namespaces.Bookmarks2);
        return bookmark;
    }

    private Element PublishBookmark(string room, Element bookmark)
    {
        var publish = OwnPubSubRequest("set", out var pubsub);
        pubsub.AddChild("publish", Namespaces.PubSub).SetAttribute("node", Namespaces.Bookmarks2)
            .AddChild("item", Namespaces.PubSub).SetAttribute("id", room).Add(bookmark);
        pubsub.AddChild("publish-options", Namespaces.PubSub).Add(Bookmarks2Form(Namespaces.PubSubPublishOptions));
        return publish;
    }

    private Element ConfigureBookmarks2()
    {
        var configure = OwnPubSubRequest("set", out var owner, Namespaces.PubSubOwner);
        owner.AddChild("configure", Namespaces.PubSubOwner).SetAttribute("node", Namespaces.Bookmarks2).Add(Bookmarks2Form(Namespaces.PubSubNodeConfig));
        return configure;
    }

    private static Element Bookmarks2Form(string formType)
    {
        var form = new Protocol.DataForms.DataForm(Protocol.DataForms.DataForm.Submit).WithFormType(formType);
        foreach (var (var, value) in Bookmarks2Configuration)
        {
            form.Add(new Protocol.DataForms.DataFormField(var, null)).WithValue(value);
        }

        return form.ToElement();
    }

    private async Task RequireBookmarksResultAsync(Element request)
    {
        var reply = await ExecuteOnPepNodeAsync(Namespaces.Bookmarks2, request, RequesterFor(_bare));
        if (reply.Reply.Type != "result")
        {
            throw new StanzaErrorException(StanzaError.InternalServerError("Failed to store bookmarks to PEP"));
        }
    }

    /// <summary>A request of the account to its own PEP service, as the server makes them on its behalf.</summary>
    private Element OwnPubSubRequest(string type, out Element pubsub, string ns = Namespaces.PubSub)
    {
        var iq = new Element(Stanza.Iq) { Type = type, Id = NewId(), From = _bareText, To = _bareText };
        pubsub = iq.AddChild("pubsub", ns);
        return iq;
    }

    /// <summary>
    /// XEP-0411 §3: the resources that want the old node's notifications get the whole storage as it
    /// is now: all of them after a change (<paramref name="to"/> null), or one that just said it wants it.
    /// </summary>
    private async Task SendCompatBookmarksAsync(Jid? to)
    {
        var recipients = _pepRecipients
            .Where(r => r.Value.Notify?.Contains(LegacyBookmarksNode) == true)
            .Select(r => Jid.Parse(r.Key))
            .Where(jid => jid.Bare == _bare && (to is null || jid == to))
            .ToList();
        if (recipients.Count == 0)
        {
            return;
        }

        var storage = await LegacyBookmarksAsync() ?? new Element("storage", Namespaces.LegacyBookmarks);
        var @event = new Element("event", Namespaces.PubSubEvent);
        @event.AddChild("items", Namespaces.PubSubEvent).SetAttribute("node", LegacyBookmarksNode)
            .AddChild("item", Namespaces.PubSubEvent).SetAttribute("id", "current").Add(storage);
        foreach (var recipient in recipients)
        {
            SendPepMessage(recipient, @event.Clone());
        }
    }

    /// <summary>
    /// Bookmarks an older version of this server kept in private XML move into the XEP-0402 node
    /// when the account next binds a resource (as Prosody's upgrade_legacy_bookmarks).
    /// </summary>
    private async Task MoveLegacyPrivateBookmarksAsync()
    {
        var key = PrivateKey(new Element("storage", Namespaces.LegacyBookmarks));
        if (_profile.State.PrivateXml?.GetValueOrDefault(key) is not { } stored)
        {
            return;
        }

        try
        {
            await PublishBookmarksAsync(XmlText.Parse(stored), synchronise: false);
            var kept = new Dictionary<string, string>(_profile.State.PrivateXml, StringComparer.Ordinal);
            kept.Remove(key);
            _profile.State.PrivateXml = kept.Count == 0 ? null : kept;
            await _profile.SaveAsync();
        }
        catch (StanzaErrorException e)
        {
            // They stay where they are, still served; the next login tries again.
            _logger.LogWarning("Could not move the private bookmarks of {Account} to PEP: {Error}", _bareText, e.Error);
        }
    }

    private static void CopyText(Element? from, Element to, string name, string fromNs, string toNs)
    {
        if (from?.ChildText(name, fromNs) is { } text)
        {
            to.AddTextChild(name, toNs, text);
        }
    }

    /// <summary>What the older form can say of a room is unchanged (a client's extensions stay, as in Prosody).</summary>
    private static bool SameBookmark(Element a, Element b) =>
        a.GetAttribute("name") == b.GetAttribute("name") && a.GetAttribute("autojoin") == b.GetAttribute("autojoin")
        && a.ChildText("nick", Namespaces.Bookmarks2) == b.ChildText("nick", Namespaces.Bookmarks2)
        && a.ChildText("password", Namespaces.Bookmarks2) == b.ChildText("password", Namespaces.Bookmarks2);
}
