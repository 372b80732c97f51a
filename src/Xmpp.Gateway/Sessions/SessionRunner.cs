using System.Net;

namespace Xmpp.Gateway.Sessions;

/// <summary>Runs a session under the tracker's admission and bookkeeping, whatever its transport.</summary>
internal static class SessionRunner
{
    public static async Task RunAsync(XmppSession session, SessionTracker tracker, IPAddress? address)
    {
        // Off the caller's thread: the accept loop goes straight back to accepting.
        await Task.Yield();
        var admitted = tracker.TryAdd(session, address);
        try
        {
            await session.RunAsync(admitted ? null : new StreamError(StreamError.PolicyViolation, "Too many connections from your address"));
        }
        finally
        {
            tracker.Remove(session, address, counted: admitted);
        }
    }
}
