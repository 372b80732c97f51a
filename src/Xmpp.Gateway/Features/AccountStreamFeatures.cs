namespace Xmpp.Gateway.Features;

/// <summary>
/// What the account's grain supports, announced after authentication: roster versioning
/// (RFC 6121 §2.6.1), subscription pre-approval (RFC 6121 §3.4.1) and client state indication
/// (XEP-0352, which the session does).
/// </summary>
internal sealed class AccountStreamFeatures : IStreamFeatureProvider
{
    public void AddFeatures(Element features)
    {
        features.AddChild("ver", Namespaces.RosterVersioning);
        features.AddChild("sub", Namespaces.PreApproval);
        features.AddChild("csi", Namespaces.ClientState); // XEP-0352 §4
    }
}
