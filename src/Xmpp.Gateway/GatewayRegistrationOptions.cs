namespace Xmpp.Gateway;

/// <summary>
/// In-band registration before authentication (XEP-0077; section "Gateway:Registration"). Off by
/// default, as Prosody's <c>allow_registration</c>: an open server attracts spam accounts. Logged-in
/// users may always change their password and remove their account.
/// </summary>
public sealed class GatewayRegistrationOptions
{
    /// <summary>Whether clients may create accounts before logging in.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Accounts one address may create per <see cref="AddressWindow"/>; 0 means no limit. Loopback
    /// is exempt (Prosody's default <c>registration_allowlist</c>). The default, one per ten minutes,
    /// is ejabberd's <c>registration_timeout</c>: no CAPTCHA, but a spammer gets few accounts.
    /// </summary>
    public int MaxPerAddress { get; set; } = 1;

    /// <summary>The period <see cref="MaxPerAddress"/> counts over.</summary>
    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(10);
}
