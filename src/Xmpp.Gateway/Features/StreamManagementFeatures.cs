using Microsoft.Extensions.Options;
using Xmpp.Grains;

namespace Xmpp.Gateway.Features;

/// <summary>
/// XEP-0198 §2: stream management, offered once the client authenticated (beside bind, as Prosody
/// does), in both versions the sessions speak, unless Xmpp:StreamManagement:Enabled is off.
/// </summary>
internal sealed class StreamManagementFeatures(IOptions<XmppOptions> options) : IStreamFeatureProvider
{
    private readonly bool _enabled = options.Value.StreamManagement.Enabled;

    public void AddFeatures(Element features)
    {
        if (_enabled)
        {
            features.AddChild("sm", Namespaces.StreamManagementLegacy).AddChild("optional", Namespaces.StreamManagementLegacy);
            features.AddChild("sm", Namespaces.StreamManagement).AddChild("optional", Namespaces.StreamManagement);
        }
    }
}
