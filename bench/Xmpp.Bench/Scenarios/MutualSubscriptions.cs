using System.Diagnostics;
using System.Globalization;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// Makes an owner and its contacts subscribed to each other's presence ('both') with presence
/// subscriptions over XMPP (RFC 6121 §3), the one way that works the same on every server: each
/// contact asks, the owner approves and asks back (<see cref="FanoutClient.SubscribeBack"/>), the
/// contact approves. Rosters are kept by the servers, so a later run finds them complete and sends
/// nothing; the owner's roster is the record of which contacts are done.
/// </summary>
internal static class MutualSubscriptions
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);

    private static int _queries;

    /// <summary>Returns the bare JIDs the owner's roster has with subscription 'both' at the end.</summary>
    public static async Task<HashSet<string>> EnsureAsync(
        FanoutClient owner, IReadOnlyList<FanoutClient> contacts, int concurrency, TimeSpan timeout, ErrorLog errors, CancellationToken cancellationToken)
    {
        var both = await BothAsync(owner, cancellationToken) ?? throw new BenchProtocolException("no answer to the owner's roster get");
        var missing = contacts.Where(c => !both.Contains(c.BareJid)).ToArray();
        if (missing.Length == 0)
        {
            return both;
        }

        // Available, so that the requests reach the clients now rather than at their next login.
        await owner.SendAsync("<presence/>", cancellationToken);
        foreach (var chunk in missing.Chunk(Math.Max(1, concurrency)))
        {
            await Task.WhenAll(chunk.Select(c => c.SendAsync($"<presence/><presence to='{owner.BareJid}' type='subscribe'/>", cancellationToken)));
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (missing.Any(c => !both.Contains(c.BareJid)) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(1000, cancellationToken);
            both = await BothAsync(owner, cancellationToken) ?? both; // a server busy with the requests may answer late
        }

        var left = missing.Count(c => !both.Contains(c.BareJid));
        if (left > 0)
        {
            errors.Count("roster-incomplete", $"{left} of {missing.Length} contacts not 'both' after {timeout.TotalSeconds} s");
        }

        return both;
    }

    /// <summary>The owner's roster (RFC 6121 §2.2): the contacts with subscription 'both'; null without an answer in time.</summary>
    private static async Task<HashSet<string>?> BothAsync(FanoutClient owner, CancellationToken cancellationToken)
    {
        var id = "roster" + Interlocked.Increment(ref _queries).ToString(CultureInfo.InvariantCulture);
        string roster;
        try
        {
            roster = await owner.QueryAsync(id, $"<iq type='get' id='{id}'><query xmlns='jabber:iq:roster'/></iq>", QueryTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }

        if (XmlScan.Attribute(roster, "type") != "result")
        {
            throw new BenchProtocolException("roster get failed: " + roster);
        }

        var both = new HashSet<string>(StringComparer.Ordinal);
        for (var at = roster.IndexOf("<item", StringComparison.Ordinal); at >= 0; at = roster.IndexOf("<item", at + 1, StringComparison.Ordinal))
        {
            var end = roster.IndexOf('>', at);
            var item = end < 0 ? roster[at..] : roster[at..(end + 1)];
            if (XmlScan.Attribute(item, "subscription") == "both" && XmlScan.Attribute(item, "jid") is { } jid)
            {
                both.Add(jid);
            }
        }

        return both;
    }
}
