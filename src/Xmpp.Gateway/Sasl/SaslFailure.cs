namespace Xmpp.Gateway.Sasl;

/// <summary>SASL failure conditions (RFC 6120 §6.5), the element names inside <c>&lt;failure/&gt;</c>.</summary>
public static class SaslFailure
{
    public const string Aborted = "aborted";
    public const string AccountDisabled = "account-disabled";
    public const string CredentialsExpired = "credentials-expired";
    public const string EncryptionRequired = "encryption-required";
    public const string IncorrectEncoding = "incorrect-encoding";
    public const string InvalidAuthzid = "invalid-authzid";
    public const string InvalidMechanism = "invalid-mechanism";
    public const string MalformedRequest = "malformed-request";
    public const string MechanismTooWeak = "mechanism-too-weak";
    public const string NotAuthorized = "not-authorized";
    public const string TemporaryAuthFailure = "temporary-auth-failure";
}
