using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Xmpp.Grains;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Users;

namespace Xmpp.Gateway.Sessions;

// Resource binding (RFC 6120 §7): the session becomes the observer of one full JID at its account's
// UserGrain. A second bind of the same full JID elsewhere closes this one with 'conflict' (§7.7.2.2),
// which the grain does through CloseAsync(). The observer reference is Orleans' (CreateObjectReference),
// which holds this object only weakly: the session itself keeps the reference, and is kept by its
// connection, for exactly as long as the connection lives.
internal sealed partial class XmppSession
{
    private IUserGrain? _user;
    private ISessionObserver? _observer;

    // The client's stanzas on their way to its account's grain, in the order they were sent.
    private OrderedDelivery<Element>? _toAccount;
    private string? _fullJid;

    // The full JID this session is listed under in the silo's directory, from just before the bind.
    private string? _listedAs;
    private string? _resource;

    private async ValueTask BindAsync(Element iq, Element bind)
    {
        string? resource = null;
        var requested = bind.ChildText("resource", Namespaces.Bind);
        if (!string.IsNullOrEmpty(requested) && !Jid.TryPrepareResourcepart(requested, out resource, out var reason))
        {
            // §7.7.2.1: a resourcepart the server cannot accept is bad-request.
            Reply(Stanza.ErrorReply(iq, StanzaError.BadRequest(reason)));
            return;
        }

        // §7.6: the server generates a resource when the client asks for none; here rather than in
        // the grain, so that the full JID is known before the bind and the session can be listed in
        // this silo's directory first (the grain may push to it while it binds).
        resource ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var bare = Jid.Create(_username, _context.Domain);
        _user ??= _context.Grains.GetGrain<IUserGrain>(bare.ToString());
        _observer ??= _context.Grains.CreateObjectReference<ISessionObserver>(this);
        _listedAs = bare.WithResource(resource).ToString();
        _context.Directory.Register(_listedAs, _observer, this, _context.Hub.Reference);

        // From here on the writer owns the output: the grain may send to us during BindAsync.
        StartWriter();

        // Known before the call: if the call fails after the grain bound us (a timeout), the unbind
        // at the end of the connection still tells the grain, which ignores what it does not know.
        _resource = resource;
        Jid jid;
        try
        {
            jid = await _user.BindAsync(resource, _observer, _context.Hub.Reference);
        }
        catch (StanzaErrorException e)
        {
            _context.Directory.Unregister(_listedAs, _observer);
            _listedAs = null;
            _resource = null;
            Reply(Stanza.ErrorReply(iq, e.Error));
            return;
        }

        BoundAs(jid);
        Logger.LogDebug("{Remote} bound {Jid}", _transport.RemoteEndPoint, _fullJid);

        var result = new Element(Stanza.Iq) { Id = iq.Id, Type = "result" };
        result.AddChild("bind", Namespaces.Bind).AddTextChild("jid", Namespaces.Bind, _fullJid);
        Reply(result);
    }

    /// <summary>The session is <paramref name="jid"/>'s, bound at its account (<see cref="_user"/>, <see cref="_resource"/>, <see cref="_observer"/> set): stanzas flow.</summary>
    [MemberNotNull(nameof(_fullJid))]
    private void BoundAs(Jid jid)
    {
        Jid = jid;
        _fullJid = jid.ToString();
        StartAccountStanzaRate(jid);
        var user = _user!;
        var resource = _resource!;
        var observer = _observer!;
        _toAccount = new OrderedDelivery<Element>(stanzas => user.ProcessOutboundAsync(resource, observer, stanzas), HandOverFailed, sizeOf: ElementSize.Estimate);
        _state = NegotiationState.Bound;
    }

    /// <summary>The session ended: the account forgets this resource (RFC 6121 §4.6 unavailable), the observer is dropped.</summary>
    private async ValueTask UnbindAsync()
    {
        List<Element>? undelivered = null;
        try
        {
            if (_user is not null && _resource is not null && _observer is not null)
            {
                // What the client sent before it left is handled before it is gone (RFC 6120 §10.1);
                // neither wait may outlast the close timeout (a grain on a silo that died).
                var limit = _context.Limits.CloseTimeout;
                if (_toAccount is not null)
                {
                    try
                    {
                        await _toAccount.WhenDrainedAsync().WaitAsync(limit);
                    }
                    catch (TimeoutException)
                    {
                        Logger.LogWarning("The last stanzas of {Jid} did not reach its account within {Limit}", _fullJid, limit);
                    }
                }

                undelivered = Drain();
                await _user.UnbindAsync(_resource, _observer, undelivered).WaitAsync(limit);
            }
        }
        catch (Exception e)
        {
            Logger.LogWarning(e, "Unbinding {Jid} failed, with {Count} stanzas that did not reach it", _fullJid, undelivered?.Count ?? 0);
        }
        finally
        {
            if (_observer is not null)
            {
                if (_listedAs is not null)
                {
                    _context.Directory.Unregister(_listedAs, _observer);
                }

                _context.Grains.DeleteObjectReference<ISessionObserver>(_observer);
            }
        }
    }
}
