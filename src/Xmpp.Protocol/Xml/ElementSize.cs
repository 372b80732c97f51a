namespace Xmpp.Protocol.Xml;

/// <summary>
/// A cheap estimate of an element's serialized size (characters of names, attributes and text
/// plus markup overhead), for bounding a session's send queue or a grain call's batch without
/// serializing twice.
/// </summary>
public static class ElementSize
{
    public static int Estimate(IReadOnlyList<Element> elements)
    {
        var total = 0;
        for (var i = 0; i < elements.Count; i++)
        {
            total += Estimate(elements[i]);
        }

        return total;
    }

    public static int Estimate(Element element)
    {
        // <name …> … </name>
        var size = (element.Name.Length * 2) + 5;
        var attributes = element.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            size += attributes[i].Name.Length + attributes[i].Value.Length + 4;
        }

        var nodes = element.Nodes;
        for (var i = 0; i < nodes.Count; i++)
        {
            size += nodes[i] switch
            {
                TextNode text => text.Value.Length,
                Element child => Estimate(child) + (child.Namespace == element.Namespace ? 0 : child.Namespace.Length + 9),
                _ => 0,
            };
        }

        return size;
    }
}
