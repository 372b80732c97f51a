namespace Xmpp.Gateway.Tests;

/// <summary>Presence subscriptions (RFC 6121 §3) between two logged-in test clients. Reusable by other test projects.</summary>
internal static class ContactRequests
{
    /// <summary>Each subscribes to the other's presence and approves the other: subscription "both" on both rosters.</summary>
    public static async Task BecomeMutualContactsAsync(this XmppTestClient one, XmppTestClient other)
    {
        // Requesting the roster makes a resource "interested" (RFC 6121 §2.1.6): only those are
        // given subscription requests and approvals.
        await one.RosterAsync("roster-before");
        await other.RosterAsync("roster-before");
        await one.SendAsync("<presence/>");
        await other.SendAsync("<presence/>");
        await SubscribeAsync(one, other);
        await SubscribeAsync(other, one);
    }

    private static async Task SubscribeAsync(XmppTestClient subscriber, XmppTestClient contact)
    {
        var subscriberJid = subscriber.Jid!.Bare.ToString();
        var contactJid = contact.Jid!.Bare.ToString();
        await subscriber.SendAsync($"<presence to='{contactJid}' type='subscribe'/>");
        await contact.ReadUntilAsync(e => e.Name == "presence" && e.Type == "subscribe" && e.From?.StartsWith(subscriberJid, StringComparison.Ordinal) == true);
        await contact.SendAsync($"<presence to='{subscriberJid}' type='subscribed'/>");

        // The approval has reached the subscriber's account once it is told (RFC 6121 §3.1.6).
        await subscriber.ReadUntilAsync(e => e.Name == "presence" && e.Type == "subscribed" && e.From?.StartsWith(contactJid, StringComparison.Ordinal) == true);
    }
}
