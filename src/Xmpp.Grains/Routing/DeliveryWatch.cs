namespace Xmpp.Grains.Routing;

/// <summary>
/// Lets a caller learn when what it queued on ordered deliveries was handed over: while a scope
/// is open on this thread, every <see cref="OrderedDelivery{T}"/> that takes items adds to the
/// scope's list a task that completes once those items (and everything queued on it before them)
/// were handed over, or failed. Whatever the items set off on their way (a router's account
/// delivery handing them to a relay's) is covered, since the first delivery's call completes only
/// after it.
/// </summary>
/// <remarks>
/// Only a caller that must wait opens a scope (<see cref="Outbox.FlushAsync"/>, for an admin
/// command's result that must not overtake the stanzas it caused). Everyone else pays a
/// thread-static read per queueing and no allocation. A waiter must not hold up the grains its
/// stanzas go to: the scope is meant for the hand-over of a turn's stanzas to their recipients, who
/// do not wait for the sender.
/// </remarks>
public static class DeliveryWatch
{
    // Non-null while a scope is open on this thread.
    [ThreadStatic]
    private static List<Task>? t_handedOver;

    /// <summary>Until the scope is disposed, adds to <paramref name="handedOver"/> a task per queueing on an ordered delivery.</summary>
    public static Scope Watch(List<Task> handedOver)
    {
        ArgumentNullException.ThrowIfNull(handedOver);
        var outer = t_handedOver;
        t_handedOver = handedOver;
        return new Scope(outer);
    }

    /// <summary>The open scope's list, if any.</summary>
    internal static List<Task>? Current => t_handedOver;

    public readonly struct Scope(List<Task>? outer) : IDisposable
    {
        public void Dispose() => t_handedOver = outer;
    }
}
