using Xmpp.Grains.Archive;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Muc;

// The room's message archive (XEP-0313 §5.1.2, XEP-0045 with MAM), as Prosody's mod_muc_mam: a
// room archives its groupchat messages unless its owner turned that off, stamps them with a
// stanza-id (XEP-0359) by the room, and answers archive queries sent to the room's JID. The
// archived copy carries the sender's real bare JID; a result shows it only to those the room's
// whois rule lets see real JIDs.
public sealed partial class RoomGrain
{
    private const string EnableArchivingVar = "muc#roomconfig_enablearchiving";

    private IArchiveGrain? _archive;
    private ArchiveWriter? _archiveWriter;

    /// <summary>The archive's queries and metadata; the room writes it through <see cref="ArchiveWriter"/>.</summary>
    private IArchiveGrain Archive => _archive ??= GrainFactory.GetGrain<IArchiveGrain>(_jid);

    private ArchiveWriter ArchiveWriter => _archiveWriter ??= new ArchiveWriter(_jid, _archives, GrainFactory, _options.Archive, _clock);

    /// <summary>Prosody's archiving_enabled: the owner's choice, else the service's default (muc_log_by_default).</summary>
    private bool ArchivingEnabled => Config.Archiving ?? _muc.ArchiveByDefault;

    /// <summary>
    /// Archives a groupchat message the room is about to broadcast and answers the broadcast copy
    /// with the room's stanza-id; the message as it came when it is not to be kept. Done before the
    /// broadcast, so that nothing the occupants got is missing from the archive.
    /// </summary>
    private async Task<Element> ArchiveGroupchatAsync(Element broadcast, Occupant sender)
    {
        if (!ArchivingEnabled || !ArchivableMessages.IsWorthKeeping(broadcast))
        {
            return broadcast;
        }

        var stored = Stanza.Envelope(broadcast, null);
        stored.AddChild("x", Namespaces.MucUser).AddChild("item", Namespaces.MucUser).SetAttribute("jid", sender.BareJid);
        var append = await ArchiveWriter.StartAsync([new ArchiveEntry(sender.Jid, stored)]);
        await append.Durable;
        return Stanza.Envelope(broadcast, null).Add(StanzaIds.Create(_jid, append.Ids[0]));
    }

    /// <summary>A stanza-id a sender put in claiming to be the room's (XEP-0359 §3: removed, never passed on).</summary>
    private bool IsForgedRoomStanzaId(Element child) =>
        child.Is("stanza-id", Namespaces.StanzaId) && child.GetAttribute("by") == _jid;

    /// <summary>Archive requests to the room: queries, the query form and the metadata.</summary>
    private async Task HandleArchiveRequestAsync(Element iq, string actor, Element payload)
    {
        var affiliation = GetAffiliation(actor);
        if (affiliation == Affiliation.Outcast || (Config.MembersOnly && affiliation == Affiliation.None))
        {
            ReplyError(iq, StanzaError.Forbidden());
            return;
        }

        if (!ArchivingEnabled)
        {
            ReplyError(iq, StanzaError.FeatureNotImplemented("This room has no archive"));
            return;
        }

        var get = iq.Type == "get";
        switch (payload.Name)
        {
            case "metadata" when get:
                SendResult(iq, MamResults.Metadata(await Archive.GetBoundsAsync()));
                return;
            case "query" when get:
                SendResult(iq, MamQuery.Form());
                return;
            case "query":
                var query = MamQuery.Parse(payload, _options.Archive);
                var page = await Archive.QueryAsync(query.Query);
                if (page is null)
                {
                    ReplyError(iq, StanzaError.ItemNotFound("No message with that id in the archive"));
                    return;
                }

                var mayReveal = WhoisAnyone || (OccupantByRealJid(actor)?.Role ?? Role.None) >= Role.Moderator;
                foreach (var result in MamResults.Messages(query, page, actor, _jid, item => Reveal(item, mayReveal)))
                {
                    Send(result);
                }

                SendResult(iq, MamResults.Fin(query, page));
                return;
            default:
                ReplyError(iq, StanzaError.ServiceUnavailable());
                return;
        }
    }

    /// <summary>An archived message as a requester sees it: the sender's real JID only where the whois rule allows.</summary>
    private static Element Reveal(ArchivedStanza item, bool mayReveal)
    {
        var stanza = XmlText.Parse(item.Xml);
        if (!mayReveal)
        {
            stanza.RemoveAll(child => child.Is("x", Namespaces.MucUser));
        }

        return stanza;
    }
}
