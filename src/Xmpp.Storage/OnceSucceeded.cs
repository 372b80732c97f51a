namespace Xmpp.Storage;

/// <summary>
/// The result of an operation that runs once, on first use, and is kept once it succeeded. A run
/// that failed — a service unreachable for a moment — is run again on the next use instead of being
/// remembered; callers that come while it runs share it.
/// </summary>
public sealed class OnceSucceeded<T>(Func<Task<T>> run)
{
    private Task<T>? _result;

    public Task<T> GetAsync()
    {
        var result = Volatile.Read(ref _result);
        if (result is null || result.IsFaulted || result.IsCanceled)
        {
            result = run();
            Volatile.Write(ref _result, result);
        }

        return result;
    }
}
