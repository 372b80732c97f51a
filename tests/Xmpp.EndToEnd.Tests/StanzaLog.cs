using System.Xml.Linq;

namespace Xmpp.EndToEnd.Tests;

/// <summary>Questions about the stanzas a client exchanged with the server, in their order.</summary>
internal sealed class StanzaLog
{
    public static readonly XNamespace PubSub = "http://jabber.org/protocol/pubsub";
    public static readonly XNamespace PubSubEvent = "http://jabber.org/protocol/pubsub#event";
    public static readonly XNamespace Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private readonly List<(bool Sent, XElement Stanza)> _stanzas;

    public StanzaLog(IEnumerable<RecordedStanza> traffic) =>
        _stanzas = [.. traffic.Select(s => (s.Direction == "out", XElement.Parse(s.Xml)))];

    public IEnumerable<XElement> Sent => _stanzas.Where(s => s.Sent).Select(s => s.Stanza);

    public IEnumerable<XElement> Received => _stanzas.Where(s => !s.Sent).Select(s => s.Stanza);

    /// <summary>IQ requests the client sent with a pubsub payload whose <paramref name="operation"/> names one of these nodes.</summary>
    public IEnumerable<XElement> SentPubSub(string operation, params string[] nodes) =>
        Sent.Where(iq => iq.Name.LocalName == "iq"
            && iq.Elements(PubSub + "pubsub").Elements(PubSub + operation).Any(e => nodes.Contains((string?)e.Attribute("node"))));

    /// <summary>IQ requests the client sent with any pubsub payload (PEP and the pubsub service alike).</summary>
    public IEnumerable<XElement> SentPubSubRequests() =>
        Sent.Where(iq => iq.Name.LocalName == "iq" && (string?)iq.Attribute("type") is "get" or "set" && iq.Elements().Any(e => e.Name.Namespace == PubSub));

    /// <summary>The server's answer to a request the client sent: the result or error with its id.</summary>
    public XElement? AnswerTo(XElement request) =>
        Received.FirstOrDefault(s => s.Name.LocalName == "iq"
            && (string?)s.Attribute("id") == (string?)request.Attribute("id")
            && (string?)s.Attribute("type") is "result" or "error");

    /// <summary>The stanza error condition of an error answer (item-not-found, …), or null.</summary>
    public static string? ErrorCondition(XElement answer) =>
        answer.Element(answer.Name.Namespace + "error")?.Elements().FirstOrDefault(e => e.Name.Namespace == Stanzas)?.Name.LocalName;

    public static string Show(XElement stanza) => stanza.ToString(SaveOptions.DisableFormatting);
}
