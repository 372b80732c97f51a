using Microsoft.Extensions.Logging;
using Xmpp.Grains.Diagnostics;

namespace Xmpp.Grains.Users;

// Per-account limits (Xmpp:Limits), across all the account's sessions (the grain sees them all):
// the stanza rate that its sessions' gateways take from before they read on, and the
// subscription requests and room joins it may start per minute.
public sealed partial class UserGrain
{
    private readonly MinuteCounter _subscriptionRequests = new();
    private readonly MinuteCounter _roomJoins = new();
    private readonly HashSet<string> _limitsLogged = new(StringComparer.Ordinal);
    private TokenBucket? _stanzaRate;

    public Task<TimeSpan> TakeStanzaRateAsync(int count)
    {
        var limits = _options.Limits;
        if (limits.StanzasPerSecond <= 0)
        {
            return Task.FromResult(TimeSpan.Zero);
        }

        _stanzaRate ??= new TokenBucket(limits.StanzasPerSecond, limits.StanzasPerSecond * limits.StanzaBurst.TotalSeconds, _clock);
        return Task.FromResult(_stanzaRate.Charge(count));
    }

    /// <summary>Counts a subscription request; refuses it past the minute's limit.</summary>
    private void CountSubscriptionRequest() =>
        Take(_subscriptionRequests, _options.Limits.SubscriptionRequestsPerMinute, LimitMetrics.SubscriptionRequests, "subscription requests");

    /// <summary>Counts a room join (directed presence with the MUC join element); refuses it past the minute's limit.</summary>
    private void CountRoomJoin(Element presence)
    {
        if (presence.Type is null && presence.Child("x", Namespaces.Muc) is not null)
        {
            Take(_roomJoins, _options.Limits.RoomJoinsPerMinute, LimitMetrics.RoomJoins, "room joins");
        }
    }

    private void Take(MinuteCounter counter, int limit, string metric, string what)
    {
        if (limit <= 0 || _options.Admins.Contains(_bareText, StringComparer.Ordinal) || counter.TryTake(Now, limit))
        {
            return;
        }

        _limitMetrics.Hit(metric);
        if (_limitsLogged.Add(metric))
        {
            _logger.LogInformation("{Account} sent more than {Limit} {What} in a minute; refusing more (Xmpp:Limits)", _bareText, limit, what);
        }

        throw new StanzaErrorException(StanzaError.ResourceConstraint($"Too many {what}; try again in a minute"));
    }
}
