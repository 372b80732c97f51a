using Microsoft.Extensions.Logging;
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

    /// <summary>
    /// Whether a message exchanged with <paramref name="with"/> goes into this account's archive
    /// (asked for every message: the roster is looked up only for the 'roster' policy).
    /// </summary>
    private bool ArchivesMessage(Element message, Jid with)
    {
        if (!_options.Archive.Enabled || !ArchivableMessages.IsForAccountArchive(message))
        {
            return false;
        }

        var prefs = _profile.State.ArchivePrefs;
        var policy = prefs?.Default ?? _options.Archive.DefaultPolicy;
        return prefs?.RuleFor(with) ?? MamPrefs.Decides(policy, policy == MamPrefs.Roster && ItemOf(with.Bare.ToString()) is not null);
    }

    /// <summary>
    /// The messages of the batch being handled that were archived ahead of it (<see cref="ArchiveAheadAsync"/>),
    /// by the stanza as it came, with their ids; null outside a batch.
    /// </summary>
    private Dictionary<Element, long>? _archivedAhead;

    /// <summary>
    /// Archives <paramref name="archived"/> (the copy of <paramref name="original"/> that goes into
    /// the archive) and answers its archive id; done before the message is delivered or stored, so
    /// that nothing delivered is missing from the archive even if the process dies. A message of
    /// the batch archived ahead answers the id it got then.
    /// </summary>
    private async Task<long> ArchiveAsync(Element original, Element archived, Jid with) =>
        _archivedAhead is not null && _archivedAhead.Remove(original, out var id)
            ? id
            : (await Archive.AppendAsync([new ArchiveEntry(with.ToString(), archived)]))[0];

    /// <summary>A message to this account that is to be archived: archived, then delivered with this archive's stanza-id.</summary>
    private async Task ArchiveThenDeliverAsync(Element original, Element message, Jid from, Jid to) =>
        await DeliverWithCarbonsAsync(StanzaIds.Restamp(message, _bareText, await ArchiveAsync(original, message, from)), to);

    /// <summary>
    /// One archive write for the messages a batch starts with, instead of one per message while the
    /// batch waits: under load a batch holds what queued for this account meanwhile, so the writes
    /// of many messages share one call and one store commit. Only the leading run of messages is
    /// taken: a stanza of another kind (a roster change, a subscription) could change what the
    /// messages after it are archived for. If the write fails, nothing is taken ahead: each message
    /// then tries on its own and its sender hears of a failure.
    /// </summary>
    private async Task ArchiveAheadAsync(IReadOnlyList<Element> batch, bool inbound)
    {
        List<(Element Original, ArchiveEntry Entry)>? run = null;
        for (var i = 0; i < batch.Count && batch[i].Name == Stanza.Message; i++)
        {
            if ((inbound ? InboundArchiveEntry(batch[i]) : OutboundArchiveEntry(batch[i])) is { } entry)
            {
                (run ??= []).Add((batch[i], new ArchiveEntry(entry.With.ToString(), entry.Archived)));
            }
        }

        if (run is not { Count: > 1 })
        {
            return; // nothing to share
        }

        long[] ids;
        try
        {
            ids = await Archive.AppendAsync([.. run.Select(r => r.Entry)]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning(e, "Archiving {Count} messages of {Account} ahead of their batch failed; each is tried on its own", run.Count, _bareText);
            return;
        }

        _archivedAhead = new Dictionary<Element, long>(run.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < run.Count; i++)
        {
            _archivedAhead[run[i].Original] = ids[i];
        }
    }

    /// <summary>An inbound message that will be archived: its copy without forged stanza-ids, and the sender (null: not archived).</summary>
    private (Element Archived, Jid With)? InboundArchiveEntry(Element message)
    {
        if (_accountExists != true || !Jid.TryParse(message.From, out var from) || !Jid.TryParse(message.To, out _)
            || (from.Bare != _bare && IsBlocked(from)))
        {
            return null;
        }

        var stripped = StanzaIds.Restamp(message, _bareText, id: null);
        return ArchivesMessage(stripped, from) ? (stripped, from) : null;
    }

    /// <summary>An outbound message that will be archived, and its recipient (null: not archived).</summary>
    private (Element Archived, Jid With)? OutboundArchiveEntry(Element message) =>
        Jid.TryParse(message.To, out var to) && to.Bare != _bare && !IsBlocked(to) && ArchivesMessage(message, to) ? (message, to) : null;

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
