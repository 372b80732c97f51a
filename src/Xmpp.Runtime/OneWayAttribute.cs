namespace Xmpp.Runtime;

/// <summary>
/// The caller does not wait: the call is queued and the returned task completes at once. Used for
/// stanza delivery, so that grains sending to each other can never wait on a cycle.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute;
