using System.Buffers;
using System.Net.Security;
using System.Text;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Scansion.Client;

/// <summary>Stream negotiation (RFC 6120 §4–§7), client side, the way the original runner does it.</summary>
public sealed partial class ScansionClient
{
    private const string BindId = "scansion-bind";
    private const string SessionId = "scansion-session";

    /// <summary>What the connection negotiated ("TLS SCRAM-SHA-1", " PLAIN"), for the test log.</summary>
    public string Negotiated { get; private set; } = string.Empty;

    private async Task<string> NegotiateAsync(CancellationToken cancellationToken)
    {
        var (localpart, domain, jidResource) = SplitJid(_definition.Jid ?? throw new InvalidOperationException($"{Name} has no jid"));
        var features = await OpenStreamAsync(domain, cancellationToken);

        // STARTTLS only when the server requires it (RFC 6120 §5.3.1).
        if (features.Child("starttls", Namespaces.Tls) is { } starttls && starttls.Child("required", Namespaces.Tls) is not null)
        {
            await SendElementAsync(new Element("starttls", Namespaces.Tls), cancellationToken);
            var answer = await NextElementAsync(cancellationToken);
            if (!answer.Is("proceed", Namespaces.Tls))
            {
                throw new IOException($"{Name}: STARTTLS refused: {answer}");
            }

            Negotiated = "TLS";
            var tls = new SslStream(_stream!, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = domain,

                    // The test server's certificate is self-signed; the runner checks XMPP, not PKI.
#pragma warning disable CA5359 // Do not disable certificate validation
                    RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
                },
                cancellationToken);
            _stream = tls;
            features = await RestartStreamAsync(domain, cancellationToken);
        }

        await AuthenticateAsync(features, localpart, cancellationToken);
        features = await RestartStreamAsync(domain, cancellationToken);

        var fullJid = await BindAsync(features, _definition.Resource ?? jidResource, cancellationToken);

        // RFC 3921 sessions, only where a server still says it needs one (RFC 6121 made it optional).
        if (features.Child("session", Namespaces.Session) is { } session && session.Child("optional", Namespaces.Session) is null)
        {
            var iq = new Element("iq");
            iq.Type = "set";
            iq.Id = SessionId;
            iq.AddChild("session", Namespaces.Session);
            await SendElementAsync(iq, cancellationToken);
            var result = await NextElementAsync(cancellationToken);
            if (!result.Is("iq", Namespaces.Client) || result.Id != SessionId || result.Type != "result")
            {
                throw new IOException($"{Name}: session establishment failed: {result}");
            }
        }

        return fullJid;
    }

    private async Task<Element> OpenStreamAsync(string domain, CancellationToken cancellationToken)
    {
        var header = new Element("stream", Namespaces.Stream);
        header.To = domain;
        header.SetAttribute("version", "1.0");
        header.Lang = "en";
        var output = new ArrayBufferWriter<byte>(256);
        StanzaWriter.WriteStreamHeader(output, header);
        await WriteAsync(output.WrittenMemory, cancellationToken);

        var opened = await NextEventAsync(cancellationToken);
        if (opened is not StreamOpened)
        {
            throw new IOException($"{Name}: expected the server's stream header, got {opened}");
        }

        var features = await NextElementAsync(cancellationToken);
        if (!features.Is("features", Namespaces.Stream))
        {
            throw new IOException($"{Name}: expected stream features, got {features}");
        }

        return features;
    }

    private Task<Element> RestartStreamAsync(string domain, CancellationToken cancellationToken)
    {
        // RFC 6120 §4.3.3: after TLS and after SASL success both sides start a new stream.
        _parser.Reset();
        _pending.Clear();
        return OpenStreamAsync(domain, cancellationToken);
    }

    private async Task AuthenticateAsync(Element features, string localpart, CancellationToken cancellationToken)
    {
        var mechanisms = features.Child("mechanisms", Namespaces.Sasl)?.Elements("mechanism", Namespaces.Sasl).Select(m => m.Text.Trim()).ToList() ?? [];
        var password = _definition.Password ?? string.Empty;
        if (mechanisms.Contains("SCRAM-SHA-1"))
        {
            Negotiated += " SCRAM-SHA-1";
            var scram = new ScramSha1Client(localpart, password);
            await SendElementAsync(SaslElement("auth", scram.ClientFirst()).SetAttribute("mechanism", "SCRAM-SHA-1"), cancellationToken);
            var challenge = await NextElementAsync(cancellationToken);
            ThrowIfFailure(challenge);
            if (!challenge.Is("challenge", Namespaces.Sasl))
            {
                throw new IOException($"{Name}: expected a SASL challenge, got {challenge}");
            }

            await SendElementAsync(SaslElement("response", scram.ClientFinal(Decode(challenge))), cancellationToken);
            var outcome = await NextElementAsync(cancellationToken);
            ThrowIfFailure(outcome);
            if (outcome.Is("challenge", Namespaces.Sasl))
            {
                // Servers that send the server-final message as a last challenge (RFC 6120 §6.3.10 allows either).
                scram.VerifyServerFinal(Decode(outcome));
                await SendElementAsync(SaslElement("response", null), cancellationToken);
                outcome = await NextElementAsync(cancellationToken);
                ThrowIfFailure(outcome);
            }
            else if (outcome.Is("success", Namespaces.Sasl))
            {
                scram.VerifyServerFinal(Decode(outcome));
            }

            if (!outcome.Is("success", Namespaces.Sasl))
            {
                throw new IOException($"{Name}: expected SASL success, got {outcome}");
            }
        }
        else if (mechanisms.Contains("PLAIN"))
        {
            Negotiated += " PLAIN";
            await SendElementAsync(SaslElement("auth", $"\0{localpart}\0{password}").SetAttribute("mechanism", "PLAIN"), cancellationToken);
            var outcome = await NextElementAsync(cancellationToken);
            ThrowIfFailure(outcome);
            if (!outcome.Is("success", Namespaces.Sasl))
            {
                throw new IOException($"{Name}: expected SASL success, got {outcome}");
            }
        }
        else
        {
            throw new AuthenticationFailedException($"{Name}: the server offers neither SCRAM-SHA-1 nor PLAIN (offers: {string.Join(", ", mechanisms)})");
        }
    }

    private async Task<string> BindAsync(Element features, string? resource, CancellationToken cancellationToken)
    {
        if (features.Child("bind", Namespaces.Bind) is null)
        {
            throw new IOException($"{Name}: the server does not offer resource binding: {features}");
        }

        var iq = new Element("iq");
        iq.Type = "set";
        iq.Id = BindId;
        var bind = iq.AddChild("bind", Namespaces.Bind);
        if (!string.IsNullOrEmpty(resource))
        {
            bind.AddTextChild("resource", Namespaces.Bind, resource);
        }

        await SendElementAsync(iq, cancellationToken);
        var result = await NextElementAsync(cancellationToken);
        if (!result.Is("iq", Namespaces.Client) || result.Id != BindId || result.Type != "result"
            || result.Child("bind", Namespaces.Bind)?.ChildText("jid", Namespaces.Bind) is not { Length: > 0 } jid)
        {
            throw new IOException($"{Name}: resource binding failed: {result}");
        }

        return jid.Trim();
    }

    private static Element SaslElement(string name, string? payload)
    {
        var element = new Element(name, Namespaces.Sasl);

        if (payload is not null)
        {
            element.AddText(Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)));
        }

        return element;
    }

    private static string Decode(Element element)
    {
        var text = element.Text.Trim();
        return text is "" or "=" ? string.Empty : Encoding.UTF8.GetString(Convert.FromBase64String(text));
    }

    private void ThrowIfFailure(Element element)
    {
        if (element.Is("failure", Namespaces.Sasl))
        {
            var condition = element.Elements().FirstOrDefault(e => e.Name != "text")?.Name ?? "unknown";
            throw new AuthenticationFailedException($"{Name}: SASL failure <{condition}/> {element.ChildText("text", Namespaces.Sasl)}".TrimEnd());
        }

        if (element.Is("error", Namespaces.Stream))
        {
            throw new IOException($"{Name}: stream error during negotiation: {element}");
        }
    }

    private async Task SendElementAsync(Element element, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>(256);
        StanzaWriter.Write(output, element, Namespaces.Client);
        await WriteAsync(output.WrittenMemory, cancellationToken);
    }

    private async Task<Element> NextElementAsync(CancellationToken cancellationToken)
    {
        var next = await NextEventAsync(cancellationToken);
        return next switch
        {
            StanzaReceived { Stanza: var element } when element.Is("error", Namespaces.Stream) => throw new IOException($"{Name}: stream error during negotiation: {element}"),
            StanzaReceived received => received.Stanza,
            _ => throw new IOException($"{Name}: expected an element during negotiation, got {next}"),
        };
    }

    // Reads from the socket until the parser has an event; keeps any further events of that read.
    private async Task<StreamEvent> NextEventAsync(CancellationToken cancellationToken)
    {
        var events = new List<(StreamEvent Event, long EndOffset)>();
        while (_pending.Count == 0)
        {
            var count = await _stream!.ReadAsync(_readBuffer, cancellationToken);
            if (count == 0)
            {
                throw new IOException($"{Name}: the server closed the connection during negotiation");
            }

            events.Clear();
            Parse(_readBuffer.AsSpan(0, count), events);
            foreach (var (e, _) in events)
            {
                _pending.Enqueue(e);
            }
        }

        var next = _pending.Dequeue();
        if (next is StreamClosed)
        {
            throw new IOException($"{Name}: the server closed the stream during negotiation");
        }

        return next;
    }

    private static (string Localpart, string Domain, string? Resource) SplitJid(string jid)
    {
        var slash = jid.IndexOf('/', StringComparison.Ordinal);
        var resource = slash < 0 ? null : jid[(slash + 1)..];
        var bare = slash < 0 ? jid : jid[..slash];
        var at = bare.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            throw new InvalidOperationException($"jid '{jid}' has no localpart to log in with");
        }

        return (bare[..at], bare[(at + 1)..], resource);
    }
}
