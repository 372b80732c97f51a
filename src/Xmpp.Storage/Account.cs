namespace Xmpp.Storage;

/// <summary>An account: its (prepared) localpart and one SCRAM credential per hash it can log in with.</summary>
public sealed record Account(string Username, ScramCredential Sha1, ScramCredential Sha256);

/// <summary>
/// RFC 5802 §3 server-side secrets: salt, iteration count, StoredKey = H(ClientKey) and ServerKey.
/// Enough to verify a SCRAM exchange or a PLAIN password, never enough to recover the password.
/// </summary>
public sealed record ScramCredential(byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey);
