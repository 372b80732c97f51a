using Microsoft.Extensions.Logging;
using Xmpp.Gateway.StreamManagement;
using Xmpp.Grains;
using Xmpp.Grains.Users;

namespace Xmpp.Gateway.Sessions;

// Resuming a session (XEP-0198 §5) on this connection, after authentication and instead of bind,
// wherever the session hibernates: on this server or on any other of the cluster. The SM-ID names
// the session's full JID, so the account's grain, which knows where the session is, is asked to
// hand it over to this connection; the session's state comes back through it. Then this
// connection is that full JID at the account (no conflict, no presence change), answers
// <resumed h previd/> and sends again, in order, what the client has not acknowledged.
internal sealed partial class XmppSession
{
    private async ValueTask ResumeAsync(Element resume)
    {
        var ns = resume.Namespace;
        var previd = resume.GetAttribute("previd");
        if (!StreamManagementOptions.Enabled || StreamManagementOptions.ResumeTimeout <= TimeSpan.Zero)
        {
            Reply(StreamManagementState.Failed(ns, StanzaError.FeatureNotImplemented())); // §5: resumption is not offered
            return;
        }

        if (!_authenticated)
        {
            Reply(StreamManagementState.Failed(ns, StanzaError.UnexpectedRequest())); // §9: only an authenticated client resumes
            return;
        }

        if (!StreamManagementState.TryParse(resume.GetAttribute("h"), out var acknowledged))
        {
            Reply(StreamManagementState.Failed(ns, StanzaError.BadRequest()));
            return;
        }

        if (!ResumptionId.TryParse(previd, out var fullJid))
        {
            Reply(StreamManagementState.Failed(ns, StanzaError.ItemNotFound()));
            return;
        }

        var bare = Jid.Create(_username, _context.Domain);
        if (fullJid.Bare != bare)
        {
            // §9: a session is resumed by its own account only; Prosody would not find it either.
            Logger.LogWarning("{Remote}, logged in as {Account}, tried to resume a session of {Other}", _transport.RemoteEndPoint, bare, fullJid.Bare);
            Reply(StreamManagementState.Failed(ns, StanzaError.UnexpectedRequest()));
            return;
        }

        var handOver = await TakeOverAsync(fullJid, previd!, acknowledged);
        switch (handOver.Status)
        {
            case HandOverStatus.HandedOver:
                await ResumedAsync(ns, previd!, handOver);
                break;
            case HandOverStatus.AckOutOfRange:
                // mod_smacks: failed, with what was handled, and the stream ends as for a bad <a/>.
                Reply(StreamManagementState.Failed(ns, StanzaError.UndefinedCondition()).SetAttribute("h", StreamManagementState.Format(handOver.Handled)));
                RequestClose(HandledCountTooHigh(ns, acknowledged, handOver.Acknowledged));
                break;
            default:
                Reply(StreamManagementState.Failed(ns, StanzaError.ItemNotFound()));
                break;
        }
    }

    /// <summary>
    /// Asks the account to move the session of <paramref name="fullJid"/> to this connection. Listed
    /// and with a send queue first: once the account has moved it, it sends here, and what it sends
    /// waits until the resumption's own output went out.
    /// </summary>
    private async Task<SessionHandOver> TakeOverAsync(Jid fullJid, string previd, uint acknowledged)
    {
        var user = _context.Grains.GetGrain<IUserGrain>(fullJid.Bare.ToString());
        _observer ??= _context.Grains.CreateObjectReference<ISessionObserver>(this);
        _listedAs = fullJid.ToString();
        _context.Directory.RegisterReference(_listedAs, _observer, this, _context.Hub.Reference);
        OpenOutbound();
        SessionHandOver handOver;
        try
        {
            handOver = await user.ResumeAsync(fullJid.Resource!, previd, acknowledged, _observer, _context.Hub.Reference);
        }
        catch (Exception e)
        {
            Logger.LogWarning(e, "Resuming {Jid} failed", fullJid);
            handOver = SessionHandOver.NotFound;
        }

        if (handOver.Status == HandOverStatus.HandedOver)
        {
            _user = user;
            _resource = fullJid.Resource;
            _context.Directory.Register(_listedAs, _observer, this, _context.Hub.Reference); // the newest of its full JID now
            BoundAs(fullJid);
        }
        else
        {
            // Nobody knows this connection: it may still bind, or resume something else.
            _context.Directory.Unregister(_listedAs, _observer);
            _listedAs = null;
            Volatile.Write(ref _outbound, null);
        }

        return handOver;
    }

    /// <summary>
    /// §5: <c>&lt;resumed/&gt;</c> with what the session handled from the client, then what the
    /// client did not acknowledge, again, in order, counted again; then the writer takes over with
    /// whatever was sent here meanwhile.
    /// </summary>
    private async Task ResumedAsync(string ns, string previd, SessionHandOver handOver)
    {
        var sm = _sm = new StreamManagementState(ns, previd, handOver.Handled, new UnackedStanzas(handOver.Acknowledged)) { Counting = true };
        _quiesced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (handOver.Pending.Count > 0)
        {
            _toAccount!.TryEnqueue(handOver.Pending); // what the old connection received but had not passed on, first
        }

        _transport.WriteElement(sm.Element("resumed").SetAttribute("h", StreamManagementState.Format(sm.Handled)).SetAttribute("previd", previd));
        foreach (var stanza in handOver.Unacknowledged)
        {
            _transport.WriteElement(stanza);
            _context.Metrics.StanzaOut(stanza);
            CountUnacknowledged(sm, stanza);
        }

        // As mod_smacks: a request at once, whatever was sent again.
        sm.Unacked.StartRequest();
        _transport.WriteElement(sm.Element("r"));
        if (!await _transport.FlushAsync())
        {
            _peerGone = true;
            RequestClose(PeerGone);
        }

        Volatile.Write(ref _lastSentAt, Environment.TickCount64);
        StartWriter(_outbound!);
        Logger.LogDebug("{Remote} resumed {Jid}: {Count} stanzas sent again", _transport.RemoteEndPoint, _fullJid, handOver.Unacknowledged.Count);
    }
}
