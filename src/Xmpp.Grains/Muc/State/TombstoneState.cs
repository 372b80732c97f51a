namespace Xmpp.Grains.Muc.State;

/// <summary>
/// What remains of a destroyed persistent room for a while (Prosody's muc_tombstones): joins are
/// answered with <c>gone</c>, pointing at the alternate venue (XEP-0045 §10.9).
/// </summary>
public sealed class TombstoneState
{
    public string? Reason { get; set; }

    public string? AlternateVenue { get; set; }

    public DateTimeOffset Until { get; set; }
}
