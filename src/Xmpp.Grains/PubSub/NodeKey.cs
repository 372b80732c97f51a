namespace Xmpp.Grains.PubSub;

/// <summary>
/// The key of a node's grain: its service's JID (the pubsub domain, or the account's bare JID for
/// PEP), a space, and the node's name. Neither a domain nor a bare JID can contain a space.
/// </summary>
public static class NodeKey
{
    public static string Of(string service, string node) => service + " " + node;

    public static (string Service, string Node) Parse(string key)
    {
        var space = key.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? throw new ArgumentException($"Not a node key: {key}", nameof(key)) : (key[..space], key[(space + 1)..]);
    }
}
