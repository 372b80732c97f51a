using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.PubSub;

internal static class ElementSearch
{
    /// <summary>The first element below this one (depth first) with this local name, in any namespace.</summary>
    public static Element? Descendant(this Element element, string name)
    {
        foreach (var child in element.Elements())
        {
            if (child.Name == name)
            {
                return child;
            }

            if (child.Descendant(name) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
