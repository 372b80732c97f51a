using System.Globalization;
using System.Security.Cryptography;
using Xmpp.Gateway.Sasl;

namespace Xmpp.Gateway.Sessions;

// Stream headers and features (RFC 6120 §4.3, §4.7, §4.8) and dispatch of negotiation elements.
internal sealed partial class XmppSession
{
    private bool _authenticated;

    /// <summary>The client may authenticate on this stream: it is encrypted, trusted loopback, or policy allows plaintext.</summary>
    private bool IsConfidential => _transport.IsEncrypted || _context.IsTrustedLoopback(_transport.RemoteEndPoint);

    private bool MayAuthenticate => IsConfidential || !_context.Options.RequireEncryption;

    private bool MayUsePlain => IsConfidential || _context.Options.AllowPlainWithoutEncryption;

    private void OnStreamOpened(StreamOpened opened)
    {
        var header = opened.Header;
        _lang = header.Lang ?? _lang ?? "en";
        var error = CheckHeader(header, opened.DefaultNamespace);

        // §4.9.1.2: even when the header is refused, our header goes out first, then the error.
        WriteHeader(to: Jid.TryParse(header.From, out var from) ? from.ToString() : null);
        if (error is not null)
        {
            RequestClose(error);
            return;
        }

        _state = NegotiationState.Negotiating;
        Reply(BuildFeatures());
    }

    /// <summary>The checks of §4.7 and §4.8 on the initiating entity's header; null when it is acceptable.</summary>
    private StreamError? CheckHeader(Element header, string defaultNamespace)
    {
        // §4.8.2: the content namespace of a c2s stream is jabber:client. (The parser has already
        // refused a root that is not <stream> in the streams namespace.)
        if (defaultNamespace != Namespaces.Client)
        {
            return new StreamError(StreamError.InvalidNamespace, "The stream's default namespace must be jabber:client");
        }

        // §4.7.2: 'to' names the service; as Prosody does, a missing one is improper-addressing.
        if (header.To is not { } to)
        {
            return new StreamError(StreamError.ImproperAddressing, "A 'to' attribute is required on stream headers");
        }

        if (!Jid.TryPrepareDomain(to, out var domain, out _) || domain != _context.Domain)
        {
            return new StreamError(StreamError.HostUnknown, "This server does not serve " + to);
        }

        // §4.7.5: no version means 0.9; only major version 1 speaks RFC 6120. A higher minor (or
        // major) version is answered with ours.
        if (!TryParseVersion(header.GetAttribute("version"), out var major) || major < 1)
        {
            return new StreamError(StreamError.UnsupportedVersion, "XMPP version 1.0 is required");
        }

        return null;
    }

    private static bool TryParseVersion(string? version, out int major)
    {
        major = 0;
        if (version is null)
        {
            return false;
        }

        var dot = version.IndexOf('.', StringComparison.Ordinal);
        return dot > 0
            && int.TryParse(version.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out major)
            && int.TryParse(version.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>Our response stream header (§4.7): a fresh stream id for every (re)start.</summary>
    private void WriteHeader(string? to)
    {
        var header = new Element("stream", Namespaces.Stream)
            .SetAttribute("from", _context.Domain)
            .SetAttribute("to", to)
            .SetAttribute("id", NewStreamId())
            .SetAttribute("version", "1.0")
            .SetAttribute("lang", _lang ?? "en", Namespaces.Xml);
        _transport.WriteStreamHeader(header);
        _headerSent = true;
        _negotiationOutputPending = true;
    }

    /// <summary>§4.7.3: unique and unpredictable (it may feed channel bindings and dialback).</summary>
    private static string NewStreamId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The features for where negotiation stands (§4.3.2): TLS and SASL, or bind after authentication.</summary>
    private Element BuildFeatures()
    {
        var features = new Element("features", Namespaces.Stream);
        if (_authenticated)
        {
            features.AddChild("bind", Namespaces.Bind);

            // RFC 3921 §3 session establishment is a no-op kept for old clients (RFC 6121 Appendix E).
            features.AddChild("session", Namespaces.Session).AddChild("optional", Namespaces.Session);
            foreach (var provider in _context.FeatureProviders)
            {
                provider.AddFeatures(features);
            }

            return features;
        }

        if (_transport.CanStartTls)
        {
            var starttls = features.AddChild("starttls", Namespaces.Tls);
            if (_context.Options.RequireEncryption && !IsConfidential)
            {
                starttls.AddChild("required", Namespaces.Tls); // §5.3.1 mandatory-to-negotiate
            }
        }

        if (MayAuthenticate)
        {
            var mechanisms = features.AddChild("mechanisms", Namespaces.Sasl);
            foreach (var mechanism in OfferedMechanisms())
            {
                mechanisms.AddTextChild("mechanism", Namespaces.Sasl, mechanism);
            }
        }

        if (OffersRegistration)
        {
            features.AddChild("register", Namespaces.RegisterFeature); // XEP-0077 §3.1
        }

        return features;
    }

    private IEnumerable<string> OfferedMechanisms()
    {
        if (!_context.Options.OpenAuthentication)
        {
            yield return SaslMechanism.ScramSha256;
            yield return SaslMechanism.ScramSha1;
        }

        if (MayUsePlain)
        {
            yield return SaslMechanism.Plain;
        }
    }

    /// <summary>An element on a stream that is not bound yet: TLS, SASL, bind; nothing else is allowed (§6.1, §7.1).</summary>
    private async ValueTask OnNegotiationElementAsync(Element element, bool isLastEvent)
    {
        if (element.Namespace == Namespaces.Tls && element.Name == "starttls" && !_authenticated)
        {
            await StartTlsAsync(isLastEvent);
            return;
        }

        if (element.Namespace == Namespaces.Sasl && !_authenticated)
        {
            await OnSaslElementAsync(element);
            return;
        }

        if (!_authenticated && IsRegistrationRequest(element))
        {
            await OnRegistrationBeforeLoginAsync(element);
            return;
        }

        if (_authenticated && Stanza.IsIq(element) && element.Namespace == Namespaces.Client
            && element.Type == "set" && element.Child("bind", Namespaces.Bind) is { } bind)
        {
            await BindAsync(element, bind);
            return;
        }

        if (IsStreamManagement(element))
        {
            await OnStreamManagementBeforeBindAsync(element);
            return;
        }

        RequestClose(new StreamError(StreamError.NotAuthorized, _authenticated ? "Bind a resource first" : "Authenticate first"));
    }
}
