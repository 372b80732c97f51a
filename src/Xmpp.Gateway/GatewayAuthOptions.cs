using Xmpp.Gateway.Sasl;

namespace Xmpp.Gateway;

/// <summary>
/// Password-guessing defence (section "Gateway:Auth"): failures are limited per connection and,
/// with exponentially growing refusals, per remote address.
/// </summary>
public sealed class GatewayAuthOptions
{
    /// <summary>After this many failed SASL attempts the stream is closed with <c>policy-violation</c>.</summary>
    public int MaxFailuresPerConnection { get; set; } = 3;

    /// <summary>Failures from one address (within <see cref="AddressFailureWindow"/>) before it is refused for a while.</summary>
    public int AddressFailureThreshold { get; set; } = 10;

    /// <summary>The first refusal period; each further failure doubles it up to <see cref="AddressBlockMax"/>.</summary>
    public TimeSpan AddressBlockBase { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan AddressBlockMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An address with no failure for this long starts afresh.</summary>
    public TimeSpan AddressFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Iterations for SCRAM credentials the server creates (RFC 7677 asks for at least 4096).</summary>
    public int ScramIterations { get; set; } = ScramCredentials.DefaultIterations;
}
