namespace Xmpp.Storage;

/// <summary>A stored state record and the ETag that a later write must present.</summary>
public sealed record StoredState(ReadOnlyMemory<byte> Data, string Etag);
