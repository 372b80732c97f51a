namespace Xmpp.Grains.PubSub;

/// <summary>
/// The errors of XEP-0060 with their application-specific conditions
/// (<c>http://jabber.org/protocol/pubsub#errors</c>, §7–§8 and §14), thrown as stanza errors.
/// </summary>
internal static class PubSubErrors
{
    private static StanzaErrorException With(StanzaError error, string condition, string? feature = null)
    {
        var application = new Element(condition, Namespaces.PubSubErrors);
        application.SetAttribute("feature", feature);
        return new StanzaErrorException(error with { ApplicationCondition = application });
    }

    /// <summary>§14: a feature this service does not have, named after the pubsub feature.</summary>
    public static StanzaErrorException Unsupported(string feature) =>
        With(StanzaError.FeatureNotImplemented(), "unsupported", feature);

    public static StanzaErrorException NodeNotFound() => new(StanzaError.ItemNotFound("No such node"));

    public static StanzaErrorException NodeIdRequired() => With(StanzaError.BadRequest(), "nodeid-required");

    public static StanzaErrorException InvalidJid() => With(StanzaError.BadRequest("The JID does not match the requester"), "invalid-jid");

    public static StanzaErrorException NotSubscribed() => With(StanzaError.UnexpectedRequest().WithType(StanzaError.TypeCancel), "not-subscribed");

    public static StanzaErrorException PreconditionNotMet(string text) => With(StanzaError.Conflict(text), "precondition-not-met");

    public static StanzaErrorException ItemRequired(string text) => With(StanzaError.BadRequest(text), "item-required");

    public static StanzaErrorException InvalidPayload(string text) => With(StanzaError.BadRequest(text), "invalid-payload");

    public static StanzaErrorException PayloadRequired() => With(StanzaError.BadRequest("The node requires a payload"), "payload-required");

    public static StanzaErrorException ItemForbidden() => With(StanzaError.BadRequest("The node does not take payloads"), "item-forbidden");

    public static StanzaErrorException ClosedNode() => With(StanzaError.NotAllowed("Only whitelisted entities may access this node"), "closed-node");

    public static StanzaErrorException PresenceSubscriptionRequired() =>
        With(StanzaError.NotAuthorized("A presence subscription to the owner is required"), "presence-subscription-required");

    public static StanzaErrorException NotInRosterGroup() =>
        With(StanzaError.NotAuthorized("Only contacts in an allowed roster group may access this node"), "not-in-roster-group");

    public static StanzaErrorException InvalidOptions(string text) => With(StanzaError.BadRequest(text), "invalid-options");

    public static StanzaErrorException Forbidden(string? text = null) => new(StanzaError.Forbidden(text));
}
