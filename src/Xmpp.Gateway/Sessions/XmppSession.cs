using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Xmpp.Gateway.Sasl;
using Xmpp.Gateway.Transport;
using Xmpp.Grains;
using Xmpp.Grains.Users;

namespace Xmpp.Gateway.Sessions;

/// <summary>
/// One client XMPP stream (RFC 6120), independent of how its bytes travel (<see cref="XmppTransport"/>):
/// stream negotiation (header, STARTTLS, SASL, bind), then the stanza loop that stamps and hands
/// each stanza to the account's <see cref="IUserGrain"/>, and the writer that delivers what grains
/// send. Split by concern: negotiation, TLS, SASL, bind, stanzas, writer, closing, heartbeat.
/// <para>
/// Threads: the read loop (<see cref="RunAsync"/>) owns the parser and, until bind, the output.
/// From bind on, the writer loop owns the output and everyone else (grains, the read loop, the
/// heartbeat) queues. <see cref="Send"/> and <see cref="Close"/> never block.
/// </para>
/// </summary>
internal sealed partial class XmppSession : ISessionObserver
{
    private readonly SessionContext _context;
    private XmppTransport _transport; // ClosedTransport once a hibernating session let go of its connection
    private readonly List<StreamEvent> _events = new(4);

    private NegotiationState _state = NegotiationState.AwaitingHeader;
    private bool _headerSent;
    private bool _negotiationOutputPending;
    private bool _peerGone;
    private bool _peerClosedStream;
    private string? _lang;

    public XmppSession(SessionContext context, XmppTransport transport)
    {
        _context = context;
        _transport = transport;
        var now = Environment.TickCount64;
        _startedAt = now;
        _lastReceivedAt = now;
        _lastSentAt = now;
    }

    private enum NegotiationState : byte
    {
        /// <summary>Waiting for the (initial or restarted) stream header.</summary>
        AwaitingHeader,

        /// <summary>Header answered and features sent; STARTTLS, SASL or bind may come.</summary>
        Negotiating,

        /// <summary>A resource is bound: stanzas flow (RFC 6120 §7, §8).</summary>
        Bound,
    }

    /// <summary>The bound full JID, once there is one.</summary>
    public Jid? Jid { get; private set; }

    private ILogger Logger => _context.Logger;

    /// <summary>
    /// Runs the stream to its end, under the tracker's admission and bookkeeping. An address over
    /// its limit is answered with policy-violation at once, a connection over the cap on
    /// unauthenticated ones with resource-constraint.
    /// </summary>
    public async Task RunAsync()
    {
        await Task.Yield(); // off the caller's thread: the accept loop goes straight back to accepting
        var tracker = _context.Tracker;
        var address = _transport.RemoteEndPoint?.Address;
        var kind = _transport.Kind;
        var admission = tracker.TryAdd(this, address);
        StartInboundThrottle();
        if (admission == Admission.Admitted)
        {
            _context.Metrics.SessionOpened(_transport.Kind);
        }

        if (admission == Admission.AddressFull)
        {
            RequestClose(new StreamError(StreamError.PolicyViolation, "Too many connections from your address"));
        }
        else if (admission == Admission.TooManyUnauthenticated)
        {
            RequestClose(new StreamError(StreamError.ResourceConstraint, "Too many connections are being set up; try again later"));
        }

        try
        {
            while (_closeReason is null)
            {
                _events.Clear();
                StreamError? parseError = null;
                TransportReadStatus status;
                try
                {
                    status = await _transport.ReadAsync(_events);
                }
                catch (StreamErrorException e)
                {
                    status = TransportReadStatus.Data;
                    parseError = e.Error;
                }

                if (status == TransportReadStatus.Canceled)
                {
                    break; // Close() was called
                }

                Volatile.Write(ref _lastReceivedAt, Environment.TickCount64);
                for (var i = 0; i < _events.Count && _closeReason is null; i++)
                {
                    await HandleEventAsync(_events[i], isLastEvent: i == _events.Count - 1 && parseError is null);
                }

                if (parseError is not null)
                {
                    RequestClose(parseError);
                }

                await FlushNegotiationOutputAsync();
                await ThrottleInboundAsync();
                if (status == TransportReadStatus.Completed)
                {
                    // The peer sent FIN: after its </stream:stream> (we still answer with ours), or
                    // without one (RFC 6120 §4.4: it went away; nothing more to say).
                    RequestClose(PeerGone);
                    break;
                }
            }
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            _peerGone = true;
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Session {Session} failed", this);
            RequestClose(new StreamError(StreamError.InternalServerError));
        }
        finally
        {
            try
            {
                await FinishAsync();
            }
            finally
            {
                if (admission == Admission.Admitted)
                {
                    tracker.Remove(this, address, _authenticated);
                    _context.Metrics.SessionClosed(kind);
                }
            }
        }
    }

    private async ValueTask HandleEventAsync(StreamEvent streamEvent, bool isLastEvent)
    {
        switch (streamEvent)
        {
            case StreamOpened opened:
                OnStreamOpened(opened);
                break;
            case StanzaReceived { Stanza: var element }:
                if (_state == NegotiationState.Bound)
                {
                    if (IsStreamManagement(element))
                    {
                        OnStreamManagementElement(element);
                    }
                    else
                    {
                        await OnStanzaAsync(element);
                    }
                }
                else
                {
                    await OnNegotiationElementAsync(element, isLastEvent);
                }

                break;
            case StreamClosed:
                // RFC 6120 §4.4: the client closed its stream; we close ours and the connection.
                _peerClosedStream = true;
                RequestClose(OrderlyClose);
                break;
        }
    }

    /// <summary>Writes a reply: directly during negotiation, through the writer once it runs.</summary>
    private void Reply(Element element)
    {
        if (_outbound is not null)
        {
            Enqueue(new OutboundItem(OutboundKind.Stanzas, null, element, ElementSize.Estimate(element)));
            return;
        }

        _transport.WriteElement(element);
        _negotiationOutputPending = true;
    }

    private async ValueTask FlushNegotiationOutputAsync()
    {
        if (!_negotiationOutputPending || _outbound is not null)
        {
            return;
        }

        _negotiationOutputPending = false;
        if (!await _transport.FlushAsync())
        {
            _peerGone = true;
            RequestClose(PeerGone);
        }

        Volatile.Write(ref _lastSentAt, Environment.TickCount64);
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is IOException or SocketException or ObjectDisposedException or OperationCanceledException;

    public override string ToString() => Jid?.ToString() ?? _transport.RemoteEndPoint?.ToString() ?? "(connecting)";
}
