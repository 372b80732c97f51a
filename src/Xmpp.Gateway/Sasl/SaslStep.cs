namespace Xmpp.Gateway.Sasl;

internal enum SaslStepKind
{
    Challenge,
    Success,
    Failure,
}

/// <summary>
/// What a mechanism answers to one client message (RFC 6120 §6.4): a challenge to send, success
/// with optional additional data and the authenticated username, or a failure condition.
/// </summary>
internal readonly record struct SaslStep(SaslStepKind Kind, byte[]? Data, string? Username, string? Condition, string? Text)
{
    public static SaslStep Challenge(byte[] data) => new(SaslStepKind.Challenge, data, null, null, null);

    public static SaslStep Succeeded(string username, byte[]? additionalData = null) =>
        new(SaslStepKind.Success, additionalData, username, null, null);

    public static SaslStep Failed(string condition, string? text = null) => new(SaslStepKind.Failure, null, null, condition, text);
}
