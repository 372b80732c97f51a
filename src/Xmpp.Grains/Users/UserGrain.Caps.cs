using Xmpp.Grains.PubSub;

namespace Xmpp.Grains.Users;

// Who wants which PEP notifications (XEP-0163 §4.3.2, as Prosody's mod_pep): each available
// resource of the account, and of a contact subscribed to its presence, announces its entity
// capabilities (XEP-0115) in presence; the features behind a hash are asked once in the cluster:
// an account asks its own client about a hash nobody has learnt (IEntityCapsGrain), and waits for
// a local contact's account to do so. The hash's "+notify" features say which nodes a resource
// wants. A resource that newly wants a node gets its last item (XEP-0163 §4.3.4).
public sealed partial class UserGrain
{
    private sealed class PepRecipient(EntityCaps? caps)
    {
        public EntityCaps? Caps { get; } = caps;

        /// <summary>The nodes it wants notifications of; null while its features are being asked for.</summary>
        public IReadOnlySet<string>? Notify { get; set; }
    }

    private static readonly IReadOnlySet<string> NoNodes = new HashSet<string>();

    // By full JID: only in memory, learnt again from presence after a reactivation.
    private readonly Dictionary<string, PepRecipient> _pepRecipients = new(StringComparer.Ordinal);

    /// <summary>
    /// A resource's presence, of the account's own (<paramref name="own"/>, sent before it is
    /// broadcast, so that the disco query comes first as in Prosody) or of a contact.
    /// </summary>
    private async Task TrackPepInterestAsync(Jid resource, Element presence, bool own)
    {
        var jid = resource.ToString();
        if (presence.Type is not null)
        {
            if (presence.Type == "unavailable")
            {
                _pepRecipients.Remove(jid);
            }

            return;
        }

        if (!own && !IsContactSubscribed(resource.Bare.ToString()))
        {
            return; // only contacts who may see the account's presence-access nodes (Prosody's rule)
        }

        var caps = EntityCaps.Of(presence);
        if (_pepRecipients.TryGetValue(jid, out var known) && known.Caps == caps)
        {
            return; // same capabilities as before: nothing new to want
        }

        var recipient = new PepRecipient(caps);
        _pepRecipients[jid] = recipient;
        if (caps is null)
        {
            recipient.Notify = NoNodes;
        }
        else if (_capsCache.TryGet(caps, out var notify))
        {
            await WantNodesAsync(resource, recipient, notify);
        }
        else if (!own && resource.Domain == _options.Domain)
        {
            // A local contact's own account asks that client; this one waits to hear the answer.
            await CapsGrain(caps).AwaitAsync(this.AsReference<IUserGrain>());
        }
        else if (await CapsGrain(caps).GetAsync() is { } learnt)
        {
            var nodes = learnt.ToHashSet(StringComparer.Ordinal);
            _capsCache.Add(caps, nodes);
            await WantNodesAsync(resource, recipient, nodes);
        }
        else
        {
            SendToResource(resource, caps.Query(_bareText, jid));
        }
    }

    /// <summary>A contact no longer subscribed to the account's presence hears of no more events (as in Prosody).</summary>
    private void ForgetPepRecipients(Jid contact)
    {
        foreach (var jid in _pepRecipients.Keys.Where(j => Jid.TryParse(j, out var full) && full.Bare == contact).ToList())
        {
            _pepRecipients.Remove(jid);
        }
    }

    public async Task CapsLearnedAsync(string capsKey, string[] notifyNodes)
    {
        try
        {
            var nodes = notifyNodes.ToHashSet(StringComparer.Ordinal);
            foreach (var (jid, recipient) in _pepRecipients.ToList())
            {
                if (recipient.Notify is null && recipient.Caps?.CacheKey == capsKey)
                {
                    _capsCache.Add(recipient.Caps, nodes);
                    await WantNodesAsync(Jid.Parse(jid), recipient, nodes);
                }
            }
        }
        finally
        {
            _outbox.Flush();
        }
    }

    private IEntityCapsGrain CapsGrain(EntityCaps caps) => GrainFactory.GetGrain<IEntityCapsGrain>(caps.CacheKey);

    /// <summary>
    /// A reply to the features query of <see cref="TrackPepInterestAsync"/>, from the account's own
    /// resource or a contact's; false when it is not one.
    /// </summary>
    private async Task<bool> HandleCapsReplyAsync(Element iq, Jid from)
    {
        if (iq.Type is not ("result" or "error") || !_pepRecipients.TryGetValue(from.ToString(), out var recipient)
            || recipient.Caps is not { } caps || recipient.Notify is not null)
        {
            return false;
        }

        var query = iq.Child("query", Namespaces.DiscoInfo);
        if (iq.Type == "error" || query is null || query.GetAttribute("node") is { } node && node != caps.QueryNode)
        {
            recipient.Notify = NoNodes; // a client that cannot say what it wants gets nothing
            return true;
        }

        var notify = EntityCaps.NotifyNodes(query);
        if (caps.Verifies(query))
        {
            // An unverified answer stays this resource's alone (XEP-0115 §8.4: caches must not be poisoned).
            _capsCache.Add(caps, notify);
            await CapsGrain(caps).LearnAsync([.. notify]);
        }

        await WantNodesAsync(from, recipient, notify);
        return true;
    }

    /// <summary>The resource now wants these nodes: the ones it did not want before send their last item.</summary>
    private async Task WantNodesAsync(Jid resource, PepRecipient recipient, IReadOnlySet<string> notify)
    {
        var before = recipient.Notify ?? NoNodes;
        recipient.Notify = notify;
        if (notify.Contains(LegacyBookmarksNode) && !before.Contains(LegacyBookmarksNode) && resource.Bare == _bare)
        {
            await SendCompatBookmarksAsync(resource); // XEP-0411: the old node's "last item"
        }

        var nodes = _profile.State.PepNodes;
        if (nodes is null)
        {
            return;
        }

        var requester = RequesterFor(resource);
        foreach (var node in notify.Where(n => !before.Contains(n) && nodes.ContainsKey(n)))
        {
            if (await PepNode(node).GetLastItemEventAsync(requester) is { } @event)
            {
                SendPepMessage(resource, @event);
            }
        }
    }

    private void SendToResource(Jid resource, Element stanza)
    {
        if (resource.Bare == _bare && SessionOf(resource) is { } session)
        {
            _outbox.Add(session.Route, stanza);
        }
        else
        {
            _outbox.Route(stanza);
        }
    }
}
