using Microsoft.Extensions.Logging;
using Xmpp.Grains;
using Xmpp.Grains.Users;

namespace Xmpp.Gateway.Sessions;

// Resource binding (RFC 6120 §7): the session becomes the observer of one full JID at its account's
// UserGrain. A second bind of the same full JID elsewhere closes this one with 'conflict' (§7.7.2.2),
// which the grain does through Close().
internal sealed partial class XmppSession
{
    private IUserGrain? _user;
    private ISessionObserver? _observer;
    private string? _fullJid;
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

        var bare = Jid.Create(_username, _context.Domain);
        _user ??= _context.Grains.GetGrain<IUserGrain>(bare.ToString());
        _observer ??= _context.Grains.CreateObjectReference<ISessionObserver>(this);

        // From here on the writer owns the output: the grain may send to us during BindAsync.
        StartWriter();

        Jid jid;
        try
        {
            jid = await _user.BindAsync(resource, _observer);
        }
        catch (StanzaErrorException e)
        {
            Reply(Stanza.ErrorReply(iq, e.Error));
            return;
        }

        Jid = jid;
        _fullJid = jid.ToString();
        _resource = jid.Resource;
        _state = NegotiationState.Bound;
        Logger.LogDebug("{Remote} bound {Jid}", _transport.RemoteEndPoint, _fullJid);

        var result = new Element(Stanza.Iq) { Id = iq.Id, Type = "result" };
        result.AddChild("bind", Namespaces.Bind).AddTextChild("jid", Namespaces.Bind, _fullJid);
        Reply(result);
    }

    /// <summary>The session ended: the account forgets this resource (RFC 6121 §4.6 unavailable), the observer is dropped.</summary>
    private async ValueTask UnbindAsync()
    {
        try
        {
            if (_user is not null && _resource is not null && _observer is not null)
            {
                await _user.UnbindAsync(_resource, _observer);
            }
        }
        catch (Exception e)
        {
            Logger.LogWarning(e, "Unbinding {Jid} failed", _fullJid);
        }
        finally
        {
            if (_observer is not null)
            {
                _context.Grains.DeleteObjectReference(_observer);
            }
        }
    }
}
