namespace Xmpp.Protocol;

/// <summary>
/// A stanza-level error (RFC 6120 §8.3): the condition, its type, optional human-readable text
/// and an optional application-specific condition element (e.g. <c>urn:xmpp:blocking:errors</c>).
/// </summary>
public sealed record StanzaError(string Type, string Condition, string? Text = null, Element? ApplicationCondition = null)
{
    // Error types (§8.3.2).
    public const string TypeAuth = "auth";
    public const string TypeCancel = "cancel";
    public const string TypeContinue = "continue";
    public const string TypeModify = "modify";
    public const string TypeWait = "wait";

    // Defined conditions (§8.3.3), each with the type the RFC gives it.
    public static StanzaError BadRequest(string? text = null) => new(TypeModify, "bad-request", text);
    public static StanzaError Conflict(string? text = null) => new(TypeCancel, "conflict", text);
    public static StanzaError FeatureNotImplemented(string? text = null) => new(TypeCancel, "feature-not-implemented", text);
    public static StanzaError Forbidden(string? text = null) => new(TypeAuth, "forbidden", text);
    public static StanzaError Gone(string? text = null) => new(TypeCancel, "gone", text);
    public static StanzaError InternalServerError(string? text = null) => new(TypeCancel, "internal-server-error", text);
    public static StanzaError ItemNotFound(string? text = null) => new(TypeCancel, "item-not-found", text);
    public static StanzaError JidMalformed(string? text = null) => new(TypeModify, "jid-malformed", text);
    public static StanzaError NotAcceptable(string? text = null) => new(TypeModify, "not-acceptable", text);
    public static StanzaError NotAllowed(string? text = null) => new(TypeCancel, "not-allowed", text);
    public static StanzaError NotAuthorized(string? text = null) => new(TypeAuth, "not-authorized", text);
    public static StanzaError PolicyViolation(string? text = null) => new(TypeModify, "policy-violation", text);
    public static StanzaError RecipientUnavailable(string? text = null) => new(TypeWait, "recipient-unavailable", text);
    public static StanzaError RegistrationRequired(string? text = null) => new(TypeAuth, "registration-required", text);
    public static StanzaError RemoteServerNotFound(string? text = null) => new(TypeCancel, "remote-server-not-found", text);
    public static StanzaError RemoteServerTimeout(string? text = null) => new(TypeWait, "remote-server-timeout", text);
    public static StanzaError ResourceConstraint(string? text = null) => new(TypeWait, "resource-constraint", text);
    public static StanzaError ServiceUnavailable(string? text = null) => new(TypeCancel, "service-unavailable", text);
    public static StanzaError SubscriptionRequired(string? text = null) => new(TypeAuth, "subscription-required", text);
    public static StanzaError UndefinedCondition(string? text = null) => new(TypeCancel, "undefined-condition", text);
    public static StanzaError UnexpectedRequest(string? text = null) => new(TypeWait, "unexpected-request", text);

    public StanzaError WithType(string type) => this with { Type = type };

    /// <summary>The <c>&lt;error/&gt;</c> child of an error stanza.</summary>
    public Element ToElement(string? by = null)
    {
        var error = new Element("error");
        error.SetAttribute("type", Type);
        error.SetAttribute("by", by);
        error.AddChild(Condition, Namespaces.Stanzas);
        if (Text is not null)
        {
            error.AddChild("text", Namespaces.Stanzas).AddText(Text);
        }

        if (ApplicationCondition is not null)
        {
            error.Add(ApplicationCondition.Clone());
        }

        return error;
    }

    /// <summary>Reads the error out of an error stanza, for clients and tests.</summary>
    public static StanzaError? FromStanza(Element stanza)
    {
        var error = stanza.Child("error", stanza.Namespace);
        if (error is null)
        {
            return null;
        }

        var condition = error.Elements().FirstOrDefault(e => e.Namespace == Namespaces.Stanzas && e.Name != "text");
        var application = error.Elements().FirstOrDefault(e => e.Namespace != Namespaces.Stanzas);
        return new StanzaError(
            error.Type ?? TypeCancel,
            condition?.Name ?? "undefined-condition",
            error.ChildText("text", Namespaces.Stanzas),
            application);
    }

    public override string ToString() => Text is null ? $"{Type}/{Condition}" : $"{Type}/{Condition}: {Text}";
}
