using System.Globalization;
using Xmpp.Gateway.StreamManagement;
using Xmpp.Grains;

namespace Xmpp.Gateway.Sessions;

// XEP-0198 stream management on a bound stream, as Prosody's mod_smacks does it where the XEP leaves
// a choice: <enable/> (after bind) with or without resumption, the count of stanzas handled from the
// client (<a h/> on every <r/>), the stanzas written to it kept until it acknowledges them, and
// <r/> after every write that leaves any unacknowledged (Xmpp:StreamManagement:RequestAfterStanzas)
// or once one has waited long enough (RequestAfter). Both urn:xmpp:sm:3 and :2 are spoken, each
// answered in its own namespace. Only message, presence and iq count, in both directions.
internal sealed partial class XmppSession
{
    private StreamManagementState? _sm;

    private StreamManagementOptions StreamManagementOptions => _context.StreamManagement;

    private static bool IsStreamManagement(Element element) =>
        element.Namespace is Namespaces.StreamManagement or Namespaces.StreamManagementLegacy;

    /// <summary>A stream management element on a bound stream.</summary>
    private void OnStreamManagementElement(Element element)
    {
        switch (element.Name)
        {
            case "enable":
                Enable(element);
                break;
            case "r" when _sm is { } sm:
                Reply(sm.Ack()); // §4: at once, with what was handled up to the request
                break;
            case "a" when _sm is { } sm:
                OnAck(sm, element);
                break;
            case "resume":
                // Prosody: a bound stream cannot become another session.
                Reply(StreamManagementState.Failed(element.Namespace, StanzaError.UnexpectedRequest()));
                break;
            default:
                RequestClose(new StreamError(StreamError.UnsupportedStanzaType, $"<{element.Name}/> in '{element.Namespace}' is not supported here"));
                break;
        }
    }

    /// <summary>A stream management element before bind: only a resumption may come (§5); enabling waits for bind (§3).</summary>
    private ValueTask OnStreamManagementBeforeBindAsync(Element element)
    {
        switch (element.Name)
        {
            case "resume":
                return ResumeAsync(element);
            case "enable":
                // mod_smacks: before authentication it is not available on this stream at all.
                Reply(StreamManagementState.Failed(
                    element.Namespace,
                    !StreamManagementOptions.Enabled ? StanzaError.FeatureNotImplemented()
                    : _authenticated ? StanzaError.UnexpectedRequest() : StanzaError.ServiceUnavailable()));
                return ValueTask.CompletedTask;
            default:
                RequestClose(new StreamError(StreamError.NotAuthorized, _authenticated ? "Bind a resource first" : "Authenticate first"));
                return ValueTask.CompletedTask;
        }
    }

    /// <summary>§3: <c>&lt;enabled/&gt;</c>, with an id and the resumption time when resumption was asked for and is offered.</summary>
    private void Enable(Element enable)
    {
        var ns = enable.Namespace;
        if (!StreamManagementOptions.Enabled || _sm is not null)
        {
            Reply(StreamManagementState.Failed(ns, _sm is null ? StanzaError.FeatureNotImplemented() : StanzaError.UnexpectedRequest()));
            return;
        }

        var resume = enable.GetAttribute("resume") is "true" or "1" && StreamManagementOptions.ResumeTimeout > TimeSpan.Zero;
        _sm = new StreamManagementState(ns, resume ? ResumptionId.Create(Jid!) : null, handled: 0, new UnackedStanzas());
        var enabled = _sm.Element("enabled");
        if (_sm.ResumptionId is { } id)
        {
            _quiesced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            enabled.SetAttribute("id", id)
                .SetAttribute("resume", "true")
                .SetAttribute("max", ((long)StreamManagementOptions.ResumeTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        // In order behind what is queued: the client counts what it receives after this.
        Enqueue(new OutboundItem(OutboundKind.StreamManagementEnabled, null, enabled, ElementSize.Estimate(enabled)));
    }

    /// <summary>§4: the client acknowledges what it received; an impossible count ends the stream, as mod_smacks.</summary>
    private void OnAck(StreamManagementState sm, Element ack)
    {
        if (!StreamManagementState.TryParse(ack.GetAttribute("h"), out var h))
        {
            RequestClose(new StreamError(StreamError.InvalidXml, "Missing or invalid 'h' attribute"));
            return;
        }

        switch (sm.Unacked.Acknowledge(h))
        {
            case AckOutcome.BeyondSent:
                RequestClose(HandledCountTooHigh(sm.Namespace, h, sm.Unacked.Sent));
                break;
            case AckOutcome.BehindAcknowledged:
                RequestClose(new StreamError(StreamError.UndefinedCondition, "Client acknowledged less stanzas than already acknowledged"));
                break;
            default:
                // mod_smacks asks again at once when enough is still unacknowledged.
                if (sm.Unacked.Count >= StreamManagementOptions.RequestAfterStanzas)
                {
                    Enqueue(OutboundItem.AckRequest);
                }

                break;
        }
    }

    /// <summary>XEP-0198 §4: more acknowledged than sent; mod_smacks' text, the XEP's element.</summary>
    private static StreamError HandledCountTooHigh(string ns, uint h, uint sent) =>
        new(StreamError.UndefinedCondition, "Client acknowledged more stanzas than sent by server")
        {
            ApplicationCondition = new Element("handled-count-too-high", ns)
                .SetAttribute("h", StreamManagementState.Format(h))
                .SetAttribute("send-count", StreamManagementState.Format(sent)),
        };

    /// <summary>A stanza from the client was taken on: it counts for the next <c>&lt;a/&gt;</c>.</summary>
    private void CountHandled()
    {
        if (_sm is { } sm)
        {
            sm.Handled = unchecked(sm.Handled + 1);
        }
    }

    /// <summary>The writer wrote a stanza: with stream management on, it waits for its acknowledgement.</summary>
    private void CountWritten(Element stanza)
    {
        if (_sm is { Counting: true } sm && Stanza.IsStanza(stanza))
        {
            CountUnacknowledged(sm, stanza);
        }
    }

    /// <summary>
    /// Keeps <paramref name="stanza"/> until the client acknowledges it; too many end the session
    /// (the options say how). Once the unacknowledged stanzas left (the session ended or was handed
    /// over), it goes back to the account after them.
    /// </summary>
    private void CountUnacknowledged(StreamManagementState sm, Element stanza)
    {
        if (!sm.Unacked.TryAdd(stanza, Environment.TickCount64, out var count))
        {
            ReturnToAccount(stanza);
        }
        else if (count > StreamManagementOptions.MaxUnackedStanzas)
        {
            OnTooManyUnacknowledged();
        }
    }

    /// <summary>Writes an <c>&lt;r/&gt;</c> (by the output's owner) when at least <paramref name="threshold"/> stanzas are unacknowledged and none is outstanding.</summary>
    private void RequestAckIfDue(int threshold)
    {
        if (_sm is { Counting: true } sm && sm.Unacked.TryStartRequest(threshold))
        {
            _transport.WriteElement(sm.Element("r"));
        }
    }

    /// <summary>The heartbeat's part: an <c>&lt;r/&gt;</c> once a stanza has waited <c>RequestAfter</c> without one.</summary>
    private void RequestAckIfWaited(long now)
    {
        var after = StreamManagementOptions.RequestAfter;
        if (_sm is { Counting: true } sm && after > TimeSpan.Zero
            && sm.Unacked.OldestUnrequested() is { } since && now - since >= (long)after.TotalMilliseconds)
        {
            Enqueue(OutboundItem.AckRequest);
        }
    }
}
