namespace Xmpp.Gateway;

/// <summary>
/// Adds elements to the stream features a client sees after authentication (RFC 6120 §4.3.2),
/// next to bind and session: e.g. roster versioning or client state indication from other layers.
/// Registered in DI; called once per authenticated stream.
/// </summary>
public interface IStreamFeatureProvider
{
    void AddFeatures(Element features);
}
