namespace Xmpp.Grains.Serialization;

/// <summary>
/// Orleans' wire format of a parsed <see cref="Element"/>: its XML as UTF-8 — the form a stanza has
/// on a client's stream anyway, written by the same serializer and read by the same parser, so it
/// is compact and exact (namespaces, attributes, text, document order). Only calls between silos
/// serialize; within a silo stanzas are passed as they are (see <see cref="ElementCopier"/> and the
/// <see cref="ImmutableAttribute"/> parameters).
/// </summary>
[RegisterSerializer]
public sealed class ElementCodec : Utf8FormCodec<Element>
{
    protected override byte[] Encode(Element value) => XmlText.SerializeToUtf8(value);

    protected override Element Decode(byte[] utf8) => XmlText.Parse(utf8);
}
