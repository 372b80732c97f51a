namespace Xmpp.Grains.Users;

/// <summary>Events in the current minute against a per-minute limit (a fixed window: cheap, and fair enough for abuse limits).</summary>
internal sealed class MinuteCounter
{
    private DateTimeOffset _windowStart;
    private int _count;

    /// <summary>Counts one event at <paramref name="now"/>; false (and not counted) when the minute's <paramref name="limit"/> is used up.</summary>
    public bool TryTake(DateTimeOffset now, int limit)
    {
        if (now - _windowStart >= TimeSpan.FromMinutes(1))
        {
            _windowStart = now;
            _count = 0;
        }

        if (_count >= limit)
        {
            return false;
        }

        _count++;
        return true;
    }
}
