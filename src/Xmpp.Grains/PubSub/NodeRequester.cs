namespace Xmpp.Grains.PubSub;

/// <summary>
/// Who asks something of a node, and what the node's owner knows of them: whether they own the
/// whole service (a service administrator, or the account whose PEP node it is), and for PEP
/// nodes their presence subscription and roster groups (XEP-0060 §4.5 presence and roster access).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NodeRequester(
    [property: Id(0)] string Jid,
    [property: Id(1)] bool OwnsService,
    [property: Id(2)] bool PresenceSubscribed = false,
    [property: Id(3)] IReadOnlyList<string>? RosterGroups = null)
{
    public string Bare => Xmpp.Protocol.Jid.TryParse(Jid, out var jid) ? jid.Bare.ToString() : Jid;
}

/// <summary>
/// What a node answers a request passed on by a grain: the IQ reply; what the caller sends on the
/// node's behalf to the contacts whose presence it knows (XEP-0163 §4.3: the event, and who may
/// have it); whether the node exists afterwards; and what must follow the reply (the last item
/// for a new subscriber, §6.1.7).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NodeReply(
    [property: Id(0)] Element Reply,
    [property: Id(1)] Element? Event = null,
    [property: Id(2)] NodeAudience? Audience = null,
    [property: Id(3)] bool Exists = true,
    [property: Id(4)] IReadOnlyList<Element>? AfterReply = null);

/// <summary>Who may receive a PEP node's notifications: its access model and, for roster access, the allowed groups.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeAudience(
    [property: Id(0)] string AccessModel,
    [property: Id(1)] IReadOnlyList<string> RosterGroups,
    [property: Id(2)] IReadOnlyList<string> Members);

/// <summary>One entity's relations to a node, for the service-wide lists of XEP-0060 §5.6 and §5.7.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeRelations(
    [property: Id(0)] string Node,
    [property: Id(1)] string Affiliation,
    [property: Id(2)] IReadOnlyList<string> SubscribedJids)
{
    /// <summary>The answer listing the entity's <paramref name="what"/> ("subscriptions" or "affiliations") over the nodes.</summary>
    public static Element ListReply(Element iq, string what, IEnumerable<NodeRelations?> relations)
    {
        var result = new Element("pubsub", Namespaces.PubSub);
        var list = result.AddChild(what, Namespaces.PubSub);
        foreach (var relation in relations.OfType<NodeRelations>())
        {
            if (what == "affiliations")
            {
                if (relation.Affiliation != NodeAffiliation.None)
                {
                    list.AddChild("affiliation", Namespaces.PubSub).SetAttribute("node", relation.Node).SetAttribute("affiliation", relation.Affiliation);
                }

                continue;
            }

            foreach (var jid in relation.SubscribedJids)
            {
                list.AddChild("subscription", Namespaces.PubSub).SetAttribute("node", relation.Node).SetAttribute("jid", jid).SetAttribute("subscription", "subscribed");
            }
        }

        return Stanza.Result(iq, result);
    }
}


