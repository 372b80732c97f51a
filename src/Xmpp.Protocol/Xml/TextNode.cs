namespace Xmpp.Protocol.Xml;

/// <summary>Character data, already unescaped.</summary>
public sealed class TextNode(string value) : Node
{
    public string Value { get; } = value;

    public override Node Clone() => this; // immutable, so sharing is safe

    public override string ToString() => Value;
}
