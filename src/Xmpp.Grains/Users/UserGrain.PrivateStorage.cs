namespace Xmpp.Grains.Users;

// Private XML storage (XEP-0049), as Prosody's mod_private: an account keeps XML fragments for its
// own clients (client preferences, notes), one per root element name and namespace, in its
// profile; bookmarks (storage:bookmarks) are read from and written to PEP (UserGrain.Bookmarks). Only the account's own sessions reach this: a request to someone else's account is
// answered service-unavailable there, as by Prosody (the XEP allows it beside forbidden).
public sealed partial class UserGrain
{
    /// <summary>The most fragments one account keeps: each is at most a stanza, and the profile is read at every activation.</summary>
    public const int MaxPrivateFragments = 64;

    private async Task<Element> HandlePrivateStorageAsync(Element iq, Element query)
    {
        var fragments = query.Elements().ToList();
        if (fragments.Count == 0)
        {
            // §2.3: at least one child element with a namespace of its own.
            throw new StanzaErrorException(StanzaError.NotAcceptable("The query needs a child element in a namespace of its own"));
        }

        if (fragments.Exists(f => string.IsNullOrEmpty(f.Namespace) || f.Namespace == Namespaces.PrivateStorage))
        {
            throw new StanzaErrorException(StanzaError.NotAcceptable("A private fragment needs a namespace of its own"));
        }

        if (iq.Type == "get")
        {
            if (fragments.Count > 1)
            {
                throw new StanzaErrorException(StanzaError.BadRequest("One fragment per request")); // §2.3: one namespace per get
            }

            var wanted = fragments[0];
            if (IsLegacyBookmarks(wanted))
            {
                // XEP-0411: bookmarks live in the XEP-0402 node; without one, the empty storage comes back.
                return Stanza.Result(iq, new Element("query", Namespaces.PrivateStorage).Add(await LegacyBookmarksAsync() ?? wanted));
            }

            var stored = _profile.State.PrivateXml?.GetValueOrDefault(PrivateKey(wanted));
            var result = new Element("query", Namespaces.PrivateStorage);
            result.Add(stored is null ? new Element(wanted.Name, wanted.Namespace) : XmlText.Parse(stored));
            return Stanza.Result(iq, result);
        }

        foreach (var bookmarks in fragments.Where(IsLegacyBookmarks))
        {
            await PublishBookmarksAsync(bookmarks, synchronise: true);
        }

        fragments.RemoveAll(IsLegacyBookmarks);
        if (fragments.Count == 0)
        {
            return Stanza.Result(iq);
        }

        var kept = _profile.State.PrivateXml is { } current ? new Dictionary<string, string>(current, StringComparer.Ordinal) : new(StringComparer.Ordinal);
        foreach (var fragment in fragments)
        {
            if (fragment.Nodes.Count == 0)
            {
                kept.Remove(PrivateKey(fragment)); // an empty fragment clears what was kept, as in Prosody
            }
            else
            {
                kept[PrivateKey(fragment)] = XmlText.Serialize(fragment);
            }
        }

        if (kept.Count > MaxPrivateFragments)
        {
            throw new StanzaErrorException(StanzaError.ResourceConstraint($"An account keeps at most {MaxPrivateFragments} private fragments"));
        }

        _profile.State.PrivateXml = kept.Count == 0 ? null : kept;
        await _profile.SaveAsync(); // on failure the profile is read back from storage (StoredStateSaving)
        return Stanza.Result(iq);
    }

    private static string PrivateKey(Element fragment) => fragment.Name + " " + fragment.Namespace;

    private static bool IsLegacyBookmarks(Element fragment) => fragment.Is("storage", Namespaces.LegacyBookmarks);
}
