using Xmpp.Grains.Archive;

namespace Xmpp.Grains.Users;

// The account's message archive (XEP-0313) with stanza ids (XEP-0359), as Prosody's mod_mam: the
// archive itself is the account's ArchiveGrain; this grain decides what goes in (its preferences
// and roster), stamps ids on what it delivers and answers its user's queries.
public sealed partial class UserGrain
{
    private IArchiveGrain? _archive;

    private IArchiveGrain Archive => _archive ??= GrainFactory.GetGrain<IArchiveGrain>(_bareText);

    private MamPrefs ArchivePrefs => _profile.State.ArchivePrefs ?? new MamPrefs { Default = _options.Archive.DefaultPolicy };

    /// <summary>Whether a message exchanged with <paramref name="with"/> goes into this account's archive.</summary>
    private bool ArchivesMessage(Element message, Jid with) =>
        _options.Archive.Enabled
        && ArchivableMessages.IsForAccountArchive(message)
        && ArchivePrefs.ShouldArchive(with, ItemOf(with.Bare.ToString()) is not null);

    /// <summary>
    /// Archives the message and answers its archive id; done before the message is delivered or
    /// stored, so that nothing delivered is missing from the archive even if the process dies.
    /// </summary>
    private async Task<long> ArchiveAsync(Element message, Jid with) =>
        (await Archive.AppendAsync([new ArchiveEntry(with.ToString(), message)]))[0];

    /// <summary>A message to this account that is to be archived: archived, then delivered with this archive's stanza-id.</summary>
    private async Task ArchiveThenDeliverAsync(Element message, Jid from, Jid to) =>
        await DeliverWithCarbonsAsync(StanzaIds.Restamp(message, _bareText, await ArchiveAsync(message, from)), to);

    private async Task<Element?> HandleArchiveRequestAsync(UserSession session, Element iq, Element payload)
    {
        var get = iq.Type == "get";
        switch (payload.Name)
        {
            case "prefs" when get:
                return Stanza.Result(iq, ArchivePrefs.ToElement());
            case "prefs":
                _profile.State.ArchivePrefs = MamPrefs.Parse(payload);
                await _profile.SaveAsync();
                return Stanza.Result(iq, _profile.State.ArchivePrefs.ToElement());
            case "metadata" when get:
                return Stanza.Result(iq, MamResults.Metadata(await Archive.GetBoundsAsync()));
            case "query" when get:
                return Stanza.Result(iq, MamQuery.Form());
            case "query":
                var query = MamQuery.Parse(payload, _options.Archive);
                var page = await Archive.QueryAsync(query.Query)
                    ?? throw new StanzaErrorException(StanzaError.ItemNotFound("No message with that id in the archive"));
                foreach (var result in MamResults.Messages(query, page, session.FullJid.ToString(), from: null))
                {
                    _outbox.Add(session.Route, result);
                }

                return Stanza.Result(iq, MamResults.Fin(query, page));
            default:
                throw new StanzaErrorException(StanzaError.ServiceUnavailable());
        }
    }
}
