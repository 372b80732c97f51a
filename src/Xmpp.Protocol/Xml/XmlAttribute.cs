namespace Xmpp.Protocol.Xml;

/// <summary>
/// An attribute with its namespace resolved. Unprefixed attributes have the empty namespace;
/// <c>xml:lang</c> is (<c>lang</c>, <see cref="Namespaces.Xml"/>).
/// </summary>
public readonly record struct XmlAttribute(string Name, string Namespace, string Value);
