namespace Xmpp.Grains.PubSub.State;

/// <summary>The nodes of the pubsub service, for its disco#items and the lists that span nodes.</summary>
public sealed class PubSubServiceState
{
    public SortedSet<string> Nodes { get; } = new(StringComparer.Ordinal);
}
