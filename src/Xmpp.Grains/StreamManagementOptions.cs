namespace Xmpp.Grains;

/// <summary>
/// XEP-0198 stream management (configuration section "Xmpp:StreamManagement"). Defaults are those
/// of Prosody's mod_smacks, named in the comments.
/// </summary>
public sealed class StreamManagementOptions
{
    /// <summary>Whether clients may enable stream management (offered after authentication).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a resumable session whose connection dropped stays bound, counting as online and
    /// keeping what arrives for it, before it ends (smacks_hibernation_time, 10 minutes); zero
    /// offers no resumption.
    /// </summary>
    public TimeSpan ResumeTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The server asks for an acknowledgement (<c>&lt;r/&gt;</c>) once this many stanzas it wrote are
    /// unacknowledged and no request is outstanding. 1, as mod_smacks' smacks_max_unacked_stanzas
    /// of 0 ("more than none"): a request follows every write that leaves anything unacknowledged.
    /// </summary>
    public int RequestAfterStanzas { get; set; } = 1;

    /// <summary>
    /// The server also asks once a stanza has been unacknowledged this long, however few are
    /// waiting (when <see cref="RequestAfterStanzas"/> is above 1); zero disables.
    /// </summary>
    public TimeSpan RequestAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most stanzas a session keeps unacknowledged (smacks_max_queue_size, 500). Beyond it a
    /// connected session is closed with <c>resource-constraint</c> and a hibernating one ends at
    /// once; either way what its client did not acknowledge goes back to its account (offline
    /// storage for messages), as when the resumption timeout expires.
    /// </summary>
    public int MaxUnackedStanzas { get; set; } = 500;
}
