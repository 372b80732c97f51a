namespace Xmpp.Runtime;

public enum DeactivationReason
{
    /// <summary>No call arrived within the idle timeout.</summary>
    Idle,

    /// <summary>The grain asked, through DeactivateOnIdle.</summary>
    Requested,

    /// <summary>The runtime is stopping.</summary>
    Shutdown,
}
