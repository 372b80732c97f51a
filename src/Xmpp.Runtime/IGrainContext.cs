namespace Xmpp.Runtime;

/// <summary>What an activation offers its grain; implemented by the runtime's activation.</summary>
internal interface IGrainContext
{
    string Key { get; }

    IGrainFactory GrainFactory { get; }

    void DeactivateOnIdle();

    void DelayDeactivation(TimeSpan period);

    IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period);
}
