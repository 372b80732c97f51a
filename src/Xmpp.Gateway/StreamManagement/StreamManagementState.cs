namespace Xmpp.Gateway.StreamManagement;

/// <summary>
/// A session's XEP-0198 state once the client enabled it (or resumed a session that had): the
/// namespace it spoke, the resumption id when the session may be resumed, the count of stanzas
/// handled from the client and the stanzas the client has not acknowledged.
/// </summary>
internal sealed class StreamManagementState(string ns, string? resumptionId, uint handled, UnackedStanzas unacked)
{
    /// <summary><c>urn:xmpp:sm:3</c> or <c>:2</c>: what every element of ours carries.</summary>
    public string Namespace { get; } = ns;

    /// <summary>The SM-ID (XEP-0198 §5); null when the session is not resumable.</summary>
    public string? ResumptionId { get; } = resumptionId;

    public bool Resumable => ResumptionId is not null;

    /// <summary>Stanzas handled from the client: the <c>h</c> of our acks. The read loop's alone.</summary>
    public uint Handled { get; set; } = handled;

    public UnackedStanzas Unacked { get; } = unacked;

    /// <summary>
    /// Whether stanzas written count: from the moment <c>&lt;enabled/&gt;</c> is written (the
    /// client counts what it receives after it), at once for a resumed session. The writer's alone.
    /// </summary>
    public bool Counting { get; set; }

    public Element Element(string name) => new(name, Namespace);

    /// <summary><c>&lt;a h/&gt;</c>: how many stanzas were handled from the client.</summary>
    public Element Ack() => Element("a").SetAttribute("h", Format(Handled));

    /// <summary><c>&lt;failed/&gt;</c> with the condition of a stanza error (XEP-0198 §6; no text, as mod_smacks).</summary>
    public static Element Failed(string ns, StanzaError error)
    {
        var failed = new Element("failed", ns);
        failed.AddChild(error.Condition, Namespaces.Stanzas);
        return failed;
    }

    public static string Format(uint h) => h.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An <c>h</c> attribute: an xs:unsignedInt (0 … 2^32 - 1), nothing else.</summary>
    public static bool TryParse(string? value, out uint h) =>
        uint.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out h);
}
