using System.Runtime.CompilerServices;

namespace Xmpp.Gateway.Transport;

/// <summary>
/// <c>await ThreadPoolHop.Ensure()</c> continues on a thread-pool thread: at once when already on
/// one, otherwise after a hand-off.
/// <para>
/// Why: the server runs with inline socket completions (see <c>Program.cs</c>), so the continuation
/// of a socket read or send runs on the socket engine's own thread, one per core, which also waits
/// for and dispatches the events of every other connection it serves. Parsing and handing stanzas
/// on is short and saves a thread hand-off per read; work that may block (storage reads) or burn
/// CPU for milliseconds (PBKDF2, a TLS handshake's key exchange) awaits this first, so it cannot
/// stall the connections that share the engine thread.
/// </para>
/// </summary>
internal readonly struct ThreadPoolHop : ICriticalNotifyCompletion
{
    public static ThreadPoolHop Ensure() => default;

    public ThreadPoolHop GetAwaiter() => this;

    public bool IsCompleted => Thread.CurrentThread.IsThreadPoolThread;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) =>
        ThreadPool.QueueUserWorkItem(static run => run(), continuation, preferLocal: false);

    public void UnsafeOnCompleted(Action continuation) =>
        ThreadPool.UnsafeQueueUserWorkItem(static run => run(), continuation, preferLocal: false);
}
