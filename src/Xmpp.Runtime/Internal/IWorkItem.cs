using Microsoft.Extensions.Logging;

namespace Xmpp.Runtime.Internal;

/// <summary>One entry of an activation's mailbox: a call, a timer tick, or the activation's own (de)activation.</summary>
internal interface IWorkItem
{
    /// <summary>False when the item must be skipped: its caller gave up (timeout) or its timer was disposed.</summary>
    bool IsPending { get; }

    /// <summary>Calls are handed to the next activation when this one deactivates; timers and lifecycle items are not.</summary>
    bool IsForwardable { get; }

    /// <summary>Whether running this item counts as activity for idle deactivation (timer ticks do not, as in Orleans).</summary>
    bool KeepsAlive { get; }

    /// <summary>Begins the turn. The activation stays busy until the returned task completes.</summary>
    Task Start(Activation activation);

    /// <summary>The turn's task completed (successfully or not).</summary>
    void Complete(Activation activation, Task turn);

    /// <summary>The item will never run (activation failed, runtime stopped).</summary>
    void Fail(Exception exception, ILogger logger);

    /// <summary>The call timeout elapsed: the caller gets a <see cref="TimeoutException"/>.</summary>
    void Expire(TimeSpan timeout);
}
