namespace Xmpp.Protocol;

/// <summary>Stanza kinds and replies (RFC 6120 §8).</summary>
public static class Stanza
{
    public const string Message = "message";
    public const string Presence = "presence";
    public const string Iq = "iq";

    public static bool IsStanza(Element element) =>
        element.Namespace == Namespaces.Client && element.Name is Message or Presence or Iq;

    public static bool IsIq(Element element) => element.Name == Iq;

    public static bool IsMessage(Element element) => element.Name == Message;

    public static bool IsPresence(Element element) => element.Name == Presence;

    /// <summary>An IQ request is a get or a set (§8.2.3); results and errors never get a reply.</summary>
    public static bool IsIqRequest(Element element) => element.Name == Iq && element.Type is "get" or "set";

    /// <summary>
    /// A copy of <paramref name="template"/> addressed to <paramref name="to"/> (null: no 'to'). The
    /// children are shared, not copied: for stanzas that nobody changes after they are built.
    /// </summary>
    public static Element Envelope(Element template, string? to)
    {
        ArgumentNullException.ThrowIfNull(template);
        var copy = template.CloneWithoutNodes();
        copy.To = to;
        copy.Add(template.Nodes);
        return copy;
    }

    /// <summary>The empty <c>type='result'</c> reply to an IQ request (§8.2.3), optionally with a payload.</summary>
    public static Element Result(Element request, Element? payload = null)
    {
        var result = new Element(Iq);
        result.Id = request.Id;
        result.Type = "result";
        result.To = request.From;
        result.From = request.To;
        if (payload is not null)
        {
            result.Add(payload);
        }

        return result;
    }

    /// <summary>
    /// The error reply to a stanza (§8.3.1): same kind and id, addresses swapped, type 'error'.
    /// Like Prosody, the original payload is not echoed back.
    /// </summary>
    public static Element ErrorReply(Element stanza, StanzaError error, string? by = null)
    {
        var reply = new Element(stanza.Name, stanza.Namespace);
        reply.Id = stanza.Id;
        reply.Type = "error";
        reply.To = stanza.From;
        reply.From = stanza.To;
        reply.Add(error.ToElement(by));
        return reply;
    }

    /// <summary>
    /// Whether an error may be sent in answer to this stanza: never to an error (§8.3.1), nor to an
    /// IQ result, which would start a loop.
    /// </summary>
    public static bool MayBounce(Element stanza) =>
        stanza.Type != "error" && !(stanza.Name == Iq && stanza.Type == "result");
}
