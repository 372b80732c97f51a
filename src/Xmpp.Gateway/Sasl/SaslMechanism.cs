namespace Xmpp.Gateway.Sasl;

/// <summary>
/// One server-side SASL exchange (RFC 6120 §6.4). Created per &lt;auth/&gt;; the session feeds it
/// the decoded initial response and each &lt;response/&gt; until it succeeds or fails.
/// </summary>
internal abstract class SaslMechanism
{
    public const string ScramSha256 = "SCRAM-SHA-256";
    public const string ScramSha1 = "SCRAM-SHA-1";
    public const string Plain = "PLAIN";

    /// <summary>The account the client tries to log in to, once its messages have named one (for the log; never a secret).</summary>
    public string? Account { get; protected set; }

    /// <summary>The client's first message; <paramref name="initialResponse"/> is null when it sent none.</summary>
    public abstract ValueTask<SaslStep> StartAsync(byte[]? initialResponse, CancellationToken cancellationToken);

    public abstract ValueTask<SaslStep> ContinueAsync(byte[] response, CancellationToken cancellationToken);
}
