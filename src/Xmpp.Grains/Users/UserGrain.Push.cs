using Microsoft.Extensions.Logging;
using Xmpp.Grains.Users.State;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.Users;

// Push notifications (XEP-0357), as Prosody's mod_cloud_notify: a client enables its app server
// (the XMPP side of its vendor's push service) and the account publishes a notification there
// when something for the user arrives that no connected client will see.
public sealed partial class UserGrain
{
    // Notifications sent and not answered yet: their id, and the registration they went to.
    private readonly Dictionary<string, string> _pushesInFlight = new(StringComparer.Ordinal);

    // Errors each registration's app server answered with since its last success (in memory, as Prosody).
    private readonly Dictionary<string, int> _pushErrors = new(StringComparer.Ordinal);

    /// <summary>§5 enable and §6 disable, for the resource that asks.</summary>
    private async Task<Element> HandlePushRequestAsync(UserSession session, Element iq, Element payload)
    {
        var jid = payload.GetAttribute("jid");
        if (string.IsNullOrEmpty(jid))
        {
            throw new StanzaErrorException(StanzaError.BadRequest("Missing jid"));
        }

        var node = payload.GetAttribute("node");
        var services = _profile.State.PushServices ??= new Dictionary<string, PushRegistration>(StringComparer.Ordinal);
        if (payload.Name == "enable")
        {
            if (jid == iq.From)
            {
                throw new StanzaErrorException(StanzaError.BadRequest("JID must be different from ours"));
            }

            var key = PushKey(jid, node);
            services.Remove(key);
            services[key] = new PushRegistration
            {
                Jid = jid,
                Node = node,
                PublishOptions = payload.Child("x", Namespaces.DataForms) is { } options ? XmlText.Serialize(options) : null,
                Resource = session.FullJid.Resource,
                Enabled = Now,
            };

            // The oldest devices make room (push_max_devices).
            foreach (var oldest in services.OrderBy(s => s.Value.Enabled).Take(services.Count - _options.Push.MaxDevices).Select(s => s.Key).ToList())
            {
                services.Remove(oldest);
            }
        }
        else
        {
            foreach (var key in services.Where(s => s.Value.Jid == jid && (node is null || s.Value.Node == node)).Select(s => s.Key).ToList())
            {
                services.Remove(key);
                _pushErrors.Remove(key);
            }
        }

        if (services.Count == 0)
        {
            _profile.State.PushServices = null;
        }

        await _profile.SaveAsync();
        return Stanza.Result(iq);
    }

    public Task ClientStateChangedAsync(string resource, ISessionObserver session, bool inactive)
    {
        if (_sessions.TryGetValue(resource, out var bound) && bound.Route.Reference.Equals(session))
        {
            bound.IsInactive = inactive;
        }

        return Task.CompletedTask;
    }

    /// <summary>§7: each registered app server is told that <paramref name="stanza"/> arrived for the user (it was stored offline).</summary>
    private void NotifyPushServices(Element stanza) => NotifyPushServices(stanza, _ => true);

    /// <summary>
    /// A message delivered to the account's connected clients: as mod_cloud_notify does for a
    /// message archived for the user, the devices whose client is not connected (or is inactive,
    /// its stanzas held back) hear of it through their app servers; a call, all of them.
    /// </summary>
    private void NotifyAbsentDevices(Element message)
    {
        // Most accounts have no push registration: every delivered message passes here.
        if (_profile.State.PushServices is not null && message.Type is "chat" or "normal" or null && IsImportant(message))
        {
            var urgent = message.Child("propose", "urn:xmpp:jingle-message:0") is not null;
            NotifyPushServices(message, service => urgent || !(service.Resource is { } resource && _sessions.TryGetValue(resource, out var session) && !session.IsInactive));
        }
    }

    private void NotifyPushServices(Element stanza, Func<PushRegistration, bool> wanted)
    {
        foreach (var (key, service) in _profile.State.PushServices ?? [])
        {
            if (wanted(service))
            {
                var id = NewId();
                _pushesInFlight[id] = key;
                _outbox.Route(Notification(id, service, stanza));
            }
        }
    }

    /// <summary>
    /// An app server's answer to a notification (false for any other IQ): an error that is not
    /// <c>wait</c> counts against the registration, which goes after <see cref="PushOptions.MaxErrors"/>.
    /// </summary>
    private async Task<bool> HandlePushReplyAsync(Element iq)
    {
        if (iq.Id is null || !_pushesInFlight.Remove(iq.Id, out var key))
        {
            return false;
        }

        if (iq.Type == "result")
        {
            _pushErrors.Remove(key);
            return true;
        }

        var error = StanzaError.FromStanza(iq);
        if (error?.Type == StanzaError.TypeWait || _profile.State.PushServices is not { } services)
        {
            return true;
        }

        var errors = _pushErrors[key] = _pushErrors.GetValueOrDefault(key) + 1;
        if (errors >= _options.Push.MaxErrors && services.Remove(key))
        {
            _pushErrors.Remove(key);
            _profile.State.PushServices = services.Count == 0 ? null : services;
            await _profile.SaveAsync();
            _logger.LogInformation("Push notifications of {Account} to {Service} disabled: it answered {Condition}", _bareText, key, error?.Condition);
        }

        return true;
    }

    private Element Notification(string id, PushRegistration service, Element stanza)
    {
        var summary = new DataForm(DataForm.Submit).WithFormType(Namespaces.PushSummary);
        summary.Add(new DataFormField("message-count")).Values.Add("1"); // what exactly to count, the XEP does not say
        if (_options.Push.IncludeSender && stanza.From is { } from)
        {
            summary.Add(new DataFormField("last-message-sender", DataFormField.JidSingle)).Values.Add(from);
        }

        var body = _options.Push.IncludeBody ? stanza.ChildText("body", Namespaces.Client)
            : IsImportant(stanza) ? _options.Push.ImportantBody
            : null;
        if (!string.IsNullOrEmpty(body))
        {
            summary.Add(new DataFormField("last-message-body")).Values.Add(body);
        }

        var iq = new Element(Stanza.Iq) { Type = "set", Id = id, From = _bareText, To = service.Jid };
        var pubsub = iq.AddChild("pubsub", Namespaces.PubSub);
        var publish = pubsub.AddChild("publish", Namespaces.PubSub);
        if (service.Node is not null)
        {
            publish.SetAttribute("node", service.Node);
        }

        publish.AddChild("item", Namespaces.PubSub).AddChild("notification", Namespaces.Push).Add(summary.ToElement());
        if (service.PublishOptions is { } options)
        {
            pubsub.AddChild("publish-options", Namespaces.PubSub).Add(XmlText.Parse(options));
        }

        return iq;
    }

    /// <summary>
    /// Whether the user should be alerted rather than woken quietly, as mod_cloud_notify judges:
    /// a message with a body, an encrypted one (whose body cannot be read), a call; not a headline,
    /// a room's subject, or a copy of what the user sent.
    /// </summary>
    private static bool IsImportant(Element stanza)
    {
        if (stanza.Name != Stanza.Message)
        {
            return false;
        }

        var message = stanza;
        if (Carbons.UnwrapReceived(stanza) is { } received)
        {
            message = received;
        }
        else if (Carbons.IsSent(stanza))
        {
            return false;
        }

        if (message.Type == "headline")
        {
            return false;
        }

        if (message.Child("encrypted", "eu.siacs.conversations.axolotl") is not null || message.Child("encrypted", "urn:xmpp:omemo:0") is not null
            || message.Child("encrypted", "urn:xmpp:omemo:2") is not null || message.Child("x", "jabber:x:encrypted") is not null
            || message.Child("openpgp", "urn:xmpp:openpgp:0") is not null || message.Child("propose", "urn:xmpp:jingle-message:0") is not null)
        {
            return true;
        }

        return !(message.Type == "groupchat" && message.ChildText("subject", Namespaces.Client) is not null)
            && !string.IsNullOrEmpty(message.ChildText("body", Namespaces.Client));
    }

    /// <summary>Prosody's key of a registration: the app server and the node.</summary>
    private static string PushKey(string jid, string? node) => jid + "<" + node;
}
