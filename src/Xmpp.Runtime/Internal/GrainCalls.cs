using Microsoft.Extensions.Logging;

namespace Xmpp.Runtime.Internal;

/// <summary>Completes a caller's promise from the turn's task, keeping the exception as thrown.</summary>
internal static class Completion
{
    public static void SetFrom<TResult>(TaskCompletionSource<TResult> promise, Task turn, TResult result)
    {
        if (turn.IsCompletedSuccessfully)
        {
            promise.TrySetResult(result);
        }
        else if (turn.IsCanceled)
        {
            promise.TrySetCanceled();
        }
        else
        {
            promise.TrySetException(turn.Exception!.InnerExceptions);
        }
    }

    public static TimeoutException Timeout(TimeSpan timeout) =>
        new($"The grain call did not complete within {timeout}.");
}

/// <summary>A call to a method returning <see cref="Task"/> or <see cref="ValueTask"/>.</summary>
internal sealed class VoidCall(VoidGrainMethod method, object?[] args)
    : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously), IWorkItem
{
    public bool IsPending => !Task.IsCompleted;

    public bool IsForwardable => true;

    public bool KeepsAlive => true;

    public Task Start(Activation activation) => method.InvokeVoid(activation.GrainInstance, args);

    public void Complete(Activation activation, Task turn) => Completion.SetFrom(this, turn, true);

    public void Fail(Exception exception, ILogger logger) => TrySetException(exception);

    public void Expire(TimeSpan timeout) => TrySetException(Completion.Timeout(timeout));
}

/// <summary>A call to a method returning <see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/>.</summary>
internal sealed class ResultCall<TResult>(ResultGrainMethod<TResult> method, object?[] args)
    : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), IWorkItem
{
    private TResult _syncResult = default!;
    private bool _completedSynchronously;

    public bool IsPending => !Task.IsCompleted;

    public bool IsForwardable => true;

    public bool KeepsAlive => true;

    public Task Start(Activation activation)
    {
        var result = method.Invoke(activation.GrainInstance, args);
        if (result.IsCompletedSuccessfully)
        {
            // The common synchronous case costs no extra task.
            _syncResult = result.Result;
            _completedSynchronously = true;
            return System.Threading.Tasks.Task.CompletedTask;
        }

        return result.AsTask();
    }

    public void Complete(Activation activation, Task turn) =>
        Completion.SetFrom(this, turn, _completedSynchronously || !turn.IsCompletedSuccessfully ? _syncResult : ((Task<TResult>)turn).Result);

    public void Fail(Exception exception, ILogger logger) => TrySetException(exception);

    public void Expire(TimeSpan timeout) => TrySetException(Completion.Timeout(timeout));
}

/// <summary>A [OneWay] call: nobody waits; a failure is logged.</summary>
internal sealed class OneWayCall(VoidGrainMethod method, object?[] args) : IWorkItem
{
    public bool IsPending => true;

    public bool IsForwardable => true;

    public bool KeepsAlive => true;

    public Task Start(Activation activation) => method.InvokeVoid(activation.GrainInstance, args);

    public void Complete(Activation activation, Task turn)
    {
        if (!turn.IsCompletedSuccessfully)
        {
            activation.Logger.LogError(
                turn.Exception?.InnerException,
                "One-way call {Method} on grain {GrainType}/{Key} failed",
                method.Name,
                activation.GrainType.Name,
                activation.Key);
        }
    }

    public void Fail(Exception exception, ILogger logger) =>
        logger.LogWarning(exception, "One-way call {Method} was dropped", method.Name);

    public void Expire(TimeSpan timeout)
    {
    }
}
