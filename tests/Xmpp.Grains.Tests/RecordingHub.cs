using System.Collections.Concurrent;
using Xmpp.Grains.Routing;

namespace Xmpp.Grains.Tests;

/// <summary>
/// A hub of the test's own, standing for another silo's: grains reach the sessions registered here
/// only through Orleans calls to its observer reference, as they reach sessions on other silos.
/// </summary>
public sealed class RecordingHub : ISessionHub
{
    private readonly ConcurrentDictionary<ISessionObserver, RecordingSession> _sessions = new();

    public void Add(ISessionObserver reference, RecordingSession session) => _sessions[reference] = session;

    /// <summary>While set, every push fails, as calls to a silo that is gone or cut off do.</summary>
    public bool Unreachable { get; set; }

    public async Task PushAsync(IReadOnlyList<SessionPush> pushes)
    {
        if (Unreachable)
        {
            throw new TimeoutException("the hub's silo does not answer (test)");
        }

        foreach (var push in pushes)
        {
            if (!_sessions.TryGetValue(push.Session, out var session))
            {
                continue;
            }

            if (push.Stanzas is { } stanzas)
            {
                await session.SendAsync(stanzas);
            }

            if (push.Close is { } error)
            {
                await session.CloseAsync(error);
            }
        }
    }

    public Task<SessionHandOver> HandOverAsync(ISessionObserver session, string resumptionId, uint acknowledged) =>
        _sessions.TryGetValue(session, out var recording) ? recording.HandOverAsync(resumptionId, acknowledged) : Task.FromResult(SessionHandOver.NotFound);
}
