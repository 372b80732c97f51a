namespace Xmpp.Protocol.Xml;

/// <summary>XML as a string, for logs, tests and storage; the wire path writes bytes with the serializer.</summary>
public static class XmlText
{
    public static string Serialize(Element element) => throw new NotImplementedException("serializer pending");
}
