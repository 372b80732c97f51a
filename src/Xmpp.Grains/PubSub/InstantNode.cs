namespace Xmpp.Grains.PubSub;

/// <summary>XEP-0060 §8.1.2: a create without a node name; the service names the node and says which name it chose.</summary>
internal static class InstantNode
{
    /// <summary>Whether the request creates a node without naming it.</summary>
    public static bool IsRequested(Element iq) =>
        iq.Type == "set" && iq.FirstElement() is { Namespace: Namespaces.PubSub } pubsub
        && pubsub.FirstElement() is { Name: "create" } create && string.IsNullOrEmpty(create.GetAttribute("node"));

    /// <summary>Creates the node under a new name through <paramref name="execute"/>; a successful reply names it.</summary>
    public static async Task<NodeReply> CreateAsync(Element iq, Func<string, Element, Task<NodeReply>> execute)
    {
        var name = Guid.NewGuid().ToString();
        var named = iq.Clone();
        named.FirstElement()!.FirstElement()!.SetAttribute("node", name);
        var reply = await execute(name, named);
        if (reply.Reply.Type == "result")
        {
            reply.Reply.Add(new Element("pubsub", Namespaces.PubSub).Add(new Element("create", Namespaces.PubSub).SetAttribute("node", name)));
        }

        return reply;
    }
}
