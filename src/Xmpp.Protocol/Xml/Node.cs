namespace Xmpp.Protocol.Xml;

/// <summary>A node of XMPP's restricted XML: an element or a run of character data.</summary>
public abstract class Node
{
    private protected Node()
    {
    }

    /// <summary>A deep copy: stanzas are mutable, so whoever changes a shared one clones it first.</summary>
    public abstract Node Clone();
}
