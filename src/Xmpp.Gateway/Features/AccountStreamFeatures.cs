namespace Xmpp.Gateway.Features;

/// <summary>
/// What the account's grain supports, announced after authentication: roster versioning
/// (RFC 6121 §2.6.1) and subscription pre-approval (RFC 6121 §3.4.1).
/// </summary>
internal sealed class AccountStreamFeatures : IStreamFeatureProvider
{
    public void AddFeatures(Element features)
    {
        features.AddChild("ver", Namespaces.RosterVersioning);
        features.AddChild("sub", Namespaces.PreApproval);
    }
}
