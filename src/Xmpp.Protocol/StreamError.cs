namespace Xmpp.Protocol;

/// <summary>
/// A stream-level error (RFC 6120 §4.9): sent as <c>&lt;stream:error/&gt;</c>, after which the
/// stream is closed. Conditions are the element names of §4.9.3.
/// </summary>
public sealed record StreamError(string Condition, string? Text = null)
{
    public const string BadFormat = "bad-format";
    public const string BadNamespacePrefix = "bad-namespace-prefix";
    public const string Conflict = "conflict";
    public const string ConnectionTimeout = "connection-timeout";
    public const string HostGone = "host-gone";
    public const string HostUnknown = "host-unknown";
    public const string ImproperAddressing = "improper-addressing";
    public const string InternalServerError = "internal-server-error";
    public const string InvalidFrom = "invalid-from";
    public const string InvalidNamespace = "invalid-namespace";
    public const string InvalidXml = "invalid-xml";
    public const string NotAuthorized = "not-authorized";
    public const string NotWellFormed = "not-well-formed";
    public const string PolicyViolation = "policy-violation";
    public const string RemoteConnectionFailed = "remote-connection-failed";
    public const string Reset = "reset";
    public const string ResourceConstraint = "resource-constraint";
    public const string RestrictedXml = "restricted-xml";
    public const string SeeOtherHost = "see-other-host";
    public const string SystemShutdown = "system-shutdown";
    public const string UndefinedCondition = "undefined-condition";
    public const string UnsupportedEncoding = "unsupported-encoding";
    public const string UnsupportedFeature = "unsupported-feature";
    public const string UnsupportedStanzaType = "unsupported-stanza-type";
    public const string UnsupportedVersion = "unsupported-version";

    /// <summary>An application-specific condition (§4.9.4), e.g. XEP-0198's <c>&lt;handled-count-too-high/&gt;</c>.</summary>
    public Element? ApplicationCondition { get; init; }

    /// <summary><c>&lt;stream:error&gt;&lt;condition xmlns='…streams'/&gt;[&lt;text/&gt;][application condition]&lt;/stream:error&gt;</c></summary>
    public Element ToElement()
    {
        var error = new Element("error", Namespaces.Stream);
        error.AddChild(Condition, Namespaces.Streams);
        if (Text is not null)
        {
            error.AddChild("text", Namespaces.Streams).AddText(Text);
        }

        if (ApplicationCondition is not null)
        {
            error.Add(ApplicationCondition);
        }

        return error;
    }

    public override string ToString() => Text is null ? Condition : $"{Condition}: {Text}";
}
