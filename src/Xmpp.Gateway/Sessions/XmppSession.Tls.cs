using System.Security.Authentication;
using Microsoft.Extensions.Logging;

namespace Xmpp.Gateway.Sessions;

// STARTTLS (RFC 6120 §5.4): <proceed/>, then the transport is swapped for TLS under the stream
// and the stream restarts with a new header on the encrypted transport.
internal sealed partial class XmppSession
{
    private async ValueTask StartTlsAsync(bool isLastEvent)
    {
        var options = _context.TlsOptions;
        if (!_transport.CanStartTls || options is null)
        {
            // §5.4.2.2: <failure/>, then the stream and the connection are closed.
            Reply(new Element("failure", Namespaces.Tls));
            RequestClose(OrderlyClose);
            return;
        }

        // §5.4.3.3: the client must wait for <proceed/>; anything pipelined after <starttls/> would
        // be read in the clear and is refused.
        if (!isLastEvent || !_transport.IsAtElementBoundary)
        {
            RequestClose(new StreamError(StreamError.PolicyViolation, "Data after <starttls/> before the TLS handshake"));
            return;
        }

        Reply(new Element("proceed", Namespaces.Tls));
        await FlushNegotiationOutputAsync();
        if (_closeReason is not null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_context.Options.Tls.HandshakeTimeout);
        try
        {
            await _transport.StartTlsAsync(options, timeout.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            // §5.4.3.2: a failed handshake ends the TCP connection; there is no stream left to speak on.
            Logger.LogDebug(e, "TLS handshake with {Remote} failed", _transport.RemoteEndPoint);
            _peerGone = true;
            RequestClose(PeerGone);
            return;
        }

        // §5.4.3.3: a new stream over TLS, with the pre-TLS state forgotten.
        _state = NegotiationState.AwaitingHeader;
        _headerSent = false;
        _transport.ResetStream(_context.LimitsBeforeAuthentication);
    }
}
