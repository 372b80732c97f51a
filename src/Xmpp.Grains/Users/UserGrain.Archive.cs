using Microsoft.Extensions.Logging;
using Xmpp.Grains.Archive;

namespace Xmpp.Grains.Users;

// The account's message archive (XEP-0313) with stanza ids (XEP-0359), as Prosody's mod_mam: this
// grain decides what goes in (its preferences and roster), writes it (ArchiveWriter), stamps ids
// on what it delivers and answers its user's queries through the account's ArchiveGrain.
public sealed partial class UserGrain
{
    private IArchiveGrain? _archive;
    private ArchiveWriter? _archiveWriter;

    /// <summary>The archive's queries, metadata and deletion; writes go through <see cref="ArchiveWriter"/>.</summary>
    private IArchiveGrain Archive => _archive ??= GrainFactory.GetGrain<IArchiveGrain>(_bareText);

    private ArchiveWriter ArchiveWriter => _archiveWriter ??= new ArchiveWriter(_bareText, _archives, GrainFactory, _options.Archive, _clock);

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

    /// <summary>The appends of the messages this batch sent, durable or not yet (<see cref="FlushAfterOutboundArchivingAsync"/>); null when there are none.</summary>
    private List<Task>? _outboundAppends;

    /// <summary>
    /// Archives <paramref name="archived"/> (the copy of <paramref name="original"/> that goes into
    /// the archive) and answers its archive id when the message may go on (<see cref="UntilItMayGoOn"/>).
    /// A message of the batch archived ahead answers the id it got then.
    /// </summary>
    private async Task<long> ArchiveAsync(Element original, Element archived, Jid with, bool inbound)
    {
        if (_archivedAhead is not null && _archivedAhead.Remove(original, out var id))
        {
            return id;
        }

        var append = await ArchiveWriter.StartAsync([new ArchiveEntry(with.ToString(), archived)]);
        await UntilItMayGoOn(append, inbound);
        return append.Ids[0];
    }

    /// <summary>
    /// Inbound, a message is delivered or stored only once its append is durable, so that nothing
    /// delivered is missing from the archive even if the process dies. Outbound, it may leave as soon
    /// as its append is under way (<see cref="ArchiveWriter.StartAsync"/>): its recipient's append
    /// comes after it. The batch then waits for it before it ends (<see cref="FlushAfterOutboundArchivingAsync"/>).
    /// </summary>
    private Task UntilItMayGoOn(ArchiveWrite append, bool inbound)
    {
        if (inbound)
        {
            return append.Durable;
        }

        (_outboundAppends ??= []).Add(append.Durable);
        return Task.CompletedTask;
    }

    /// <summary>A message to this account that is to be archived: archived, then delivered with this archive's stanza-id.</summary>
    private async Task ArchiveThenDeliverAsync(Element original, Element message, Jid from, Jid to) =>
        await DeliverWithCarbonsAsync(StanzaIds.Restamp(message, _bareText, await ArchiveAsync(original, message, from, inbound: true)), to);

    /// <summary>
    /// Ends a batch of this account's own stanzas: what it routed leaves at once (each recipient
    /// archives its copy after this account's appends, see <see cref="ArchiveWriter"/>); what goes
    /// to this account's own sessions (sent carbons, errors) leaves once this account's appends are
    /// durable, as they show the message to this account's other devices. An append that failed
    /// after its message left is logged: the message was delivered and is missing from this archive.
    /// </summary>
    private async Task FlushAfterOutboundArchivingAsync()
    {
        if (_outboundAppends is not { } appends)
        {
            _outbox.Flush();
            return;
        }

        _outboundAppends = null;
        _outbox.FlushRouted();
        foreach (var append in appends)
        {
            try
            {
                await append;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogError(e, "Archiving a message {Account} sent failed after the message left: it is missing from the sender's archive", _bareText);
            }
        }

        _outbox.Flush();
    }

    /// <summary>
    /// One archive append for the messages a batch starts with, instead of one per message while the
    /// batch waits: under load a batch holds what queued for this account meanwhile, so the writes
    /// of many messages share one store commit. Only the leading run of messages is taken: a stanza
    /// of another kind (a roster change, a subscription) could change what the messages after it are
    /// archived for. The batch goes on as <see cref="UntilItMayGoOn"/> says. If the append fails,
    /// nothing is taken ahead: each message then tries on its own and its sender hears of a failure.
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
            var append = await ArchiveWriter.StartAsync([.. run.Select(r => r.Entry)]);
            await UntilItMayGoOn(append, inbound);
            ids = append.Ids;
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
