using System.Diagnostics.Metrics;

namespace Xmpp.Grains.Diagnostics;

/// <summary>
/// How often each abuse limit bit (meter <see cref="MeterName"/>, exported by the server's
/// <c>/metrics</c> as <c>xmpp_limit_hits_total{limit=…}</c>): an operator sees which limit is
/// doing the work, and whether one bites ordinary users.
/// </summary>
public sealed class LimitMetrics
{
    public const string MeterName = "Xmpp.Limits";

    /// <summary>A WebSocket connection from a web page whose origin is not allowed (Gateway:WebSocket:AllowedOrigins).</summary>
    public const string WebSocketOrigin = "websocket_origin";

    /// <summary>A message refused because its sender's share of the recipient's offline store is full (Xmpp:OfflineMessagesPerSender).</summary>
    public const string OfflinePerSender = "offline_per_sender";

    /// <summary>A message from a JID outside the recipient's roster held back or dropped (Xmpp:Strangers).</summary>
    public const string Strangers = "strangers";

    /// <summary>A connection read more slowly because it sent faster than its transport's rate (Gateway:RateLimits), once per episode.</summary>
    public const string InboundRate = "inbound_rate";

    /// <summary>A connection read more slowly because its account's sessions sent more stanzas than its rate (Xmpp:Limits:StanzasPerSecond), once per episode.</summary>
    public const string StanzaRate = "stanza_rate";

    /// <summary>A subscription request refused past its account's limit (Xmpp:Limits:SubscriptionRequestsPerMinute).</summary>
    public const string SubscriptionRequests = "subscription_requests";

    /// <summary>A room join refused past its account's limit (Xmpp:Limits:RoomJoinsPerMinute).</summary>
    public const string RoomJoins = "room_joins";

    private readonly Counter<long> _hits;

    public LimitMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _hits = meters.Create(MeterName).CreateCounter<long>("xmpp.limit.hits", "{hit}", "Times a limit refused, held or slowed something, by limit");
    }

    public void Hit(string limit) => _hits.Add(1, new KeyValuePair<string, object?>("limit", limit));
}
