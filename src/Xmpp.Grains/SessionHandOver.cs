namespace Xmpp.Grains;

/// <summary>
/// What a resumable session (XEP-0198) hands to the connection that resumes it, from whatever
/// server either lives on: the counts on both sides, the stanzas its client has not acknowledged
/// and those the client sent that have not reached the account yet. Or why it would not.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record SessionHandOver(
    [property: Id(0)] HandOverStatus Status,
    [property: Id(1)] uint Handled,
    [property: Id(2)] uint Acknowledged,
    [property: Id(3)] IReadOnlyList<Element> Unacknowledged,
    [property: Id(4)] IReadOnlyList<Element> Pending)
{
    /// <summary>No session with that id (any more): it ended, expired, or never was.</summary>
    public static SessionHandOver NotFound { get; } = new(HandOverStatus.NotFound, 0, 0, [], []);

    /// <summary>
    /// The client's <c>h</c> did not fit what the session sent (<paramref name="sent"/>); the session
    /// ended as if it had expired, as mod_smacks ends it.
    /// </summary>
    public static SessionHandOver AckOutOfRange(uint handled, uint sent) => new(HandOverStatus.AckOutOfRange, handled, sent, [], []);
}

/// <summary>How a hand-over went.</summary>
public enum HandOverStatus
{
    /// <summary>Handed over: <see cref="SessionHandOver.Acknowledged"/> is the client's <c>h</c>, what follows it is to be sent again.</summary>
    HandedOver,

    NotFound,

    /// <summary>The client acknowledged more than was sent, or less than it had acknowledged; <see cref="SessionHandOver.Acknowledged"/> holds what was sent.</summary>
    AckOutOfRange,
}
