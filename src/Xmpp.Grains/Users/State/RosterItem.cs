namespace Xmpp.Grains.Users.State;

/// <summary>One contact in a roster (RFC 6121 §2.1.2).</summary>
public sealed class RosterItem
{
    public string? Name { get; set; }

    public string Subscription { get; set; } = State.Subscription.None;

    /// <summary>An outbound subscription request is pending ("ask='subscribe'").</summary>
    public bool Ask { get; set; }

    /// <summary>A subscription pre-approval (RFC 6121 §3.4) waits for the contact's request.</summary>
    public bool Approved { get; set; }

    public List<string> Groups { get; set; } = [];
}
