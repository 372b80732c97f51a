using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// A small raw XMPP client for tests: a real socket (optionally upgraded with a real SslStream),
/// our own parser for what the server sends, and explicit steps (open, STARTTLS, SASL, bind) so a
/// test can stop anywhere or misbehave on purpose. Its SCRAM is written independently of the
/// server's, from RFC 5802. Reusable by other test projects.
/// </summary>
public sealed class XmppTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly Queue<StreamEvent> _pending = new();
    private readonly List<StreamEvent> _events = [];
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Stream _stream;
    private XmlStreamParser _parser = NewParser();

    private XmppTestClient(TcpClient tcp, string domain)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Domain = domain;
    }

    public string Domain { get; }

    /// <summary>The server's last stream header.</summary>
    public Element? ServerHeader { get; private set; }

    /// <summary>The last &lt;stream:features/&gt; received.</summary>
    public Element? Features { get; private set; }

    /// <summary>The bound full JID.</summary>
    public Jid? Jid { get; private set; }

    public bool IsEncrypted => _stream is SslStream;

    /// <summary>The certificate the server presented during STARTTLS.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ServerCertificate { get; private set; }

    /// <param name="receiveBufferSize">A small socket receive buffer (set before connecting, so the TCP window stays small): a client that stops reading is noticed soon.</param>
    public static async Task<XmppTestClient> ConnectAsync(IPEndPoint endpoint, string domain = "localhost", int? receiveBufferSize = null, CancellationToken cancellationToken = default)
    {
        var tcp = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            tcp.ReceiveBufferSize = size;
        }

        await tcp.ConnectAsync(endpoint, cancellationToken);
        return new XmppTestClient(tcp, domain);
    }

    /// <summary>Connects, optionally does STARTTLS, authenticates and binds.</summary>
    public static async Task<XmppTestClient> LoginAsync(
        IPEndPoint endpoint, string user, string password, string? resource = null, bool startTls = false, string mechanism = "SCRAM-SHA-256", int? receiveBufferSize = null)
    {
        var client = await ConnectAsync(endpoint, receiveBufferSize: receiveBufferSize);
        try
        {
            await client.OpenStreamAsync();
            if (startTls)
            {
                await client.StartTlsAsync();
            }

            var failure = await client.AuthenticateAsync(mechanism, user, password);
            if (failure is not null)
            {
                throw new InvalidOperationException($"Authentication failed: {failure}");
            }

            await client.BindAsync(resource);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    // ---- raw I/O ----

    public Task SendAsync(string xml) => SendAsync(Encoding.UTF8.GetBytes(xml));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _stream.WriteAsync(bytes, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    public Task SendAsync(Element element) => SendAsync(XmlText.Serialize(element));

    /// <summary>The next stream event; throws <see cref="TimeoutException"/> or <see cref="EndOfStreamException"/>.</summary>
    public async Task<StreamEvent> ReadEventAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (_pending.Count == 0)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No data from the server in time.");
            }

            if (read == 0)
            {
                throw new EndOfStreamException("The server closed the connection.");
            }

            _events.Clear();
            _parser.Parse(_buffer.AsSpan(0, read), _events);
            foreach (var e in _events)
            {
                _pending.Enqueue(e);
            }
        }

        return _pending.Dequeue();
    }

    /// <summary>The next top-level element; throws when the stream ends instead.</summary>
    public async Task<Element> ReadElementAsync(TimeSpan? timeout = null)
    {
        var e = await ReadEventAsync(timeout);
        return e switch
        {
            StanzaReceived received => received.Stanza,
            StreamClosed => throw new EndOfStreamException("The server closed the stream."),
            _ => throw new InvalidOperationException($"Unexpected {e}"),
        };
    }

    /// <summary>Reads elements until one matches, skipping others (presence, pushes).</summary>
    public async Task<Element> ReadUntilAsync(Func<Element, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var element = await ReadElementAsync(deadline - DateTime.UtcNow);
            if (match(element))
            {
                return element;
            }
        }
    }

    /// <summary>
    /// Reads until the stream error and the closing tag (RFC 6120 §4.9), returning the condition,
    /// and checks that the server then closes the connection.
    /// </summary>
    public async Task<string> ReadStreamErrorAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var condition = await ReadStreamErrorConditionAsync(timeout);
        var next = await ReadEventAsync(deadline - DateTime.UtcNow);
        if (next is not StreamClosed)
        {
            throw new InvalidOperationException($"Expected </stream:stream> after the stream error, got {next}");
        }

        // Behave like a client: close our stream too, and our side of the connection (RFC 6120 §4.4).
        await CloseAsync();
        if (!await WaitForDisconnectAsync(deadline - DateTime.UtcNow))
        {
            throw new InvalidOperationException("The server did not close the connection after the stream error.");
        }

        return condition;
    }

    /// <summary>Reads (skipping stanzas) until the stream error and returns its condition, without waiting for the close.</summary>
    public async Task<string> ReadStreamErrorConditionAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var e = await ReadEventAsync(deadline - DateTime.UtcNow);
            if (e is StanzaReceived { Stanza: var element } && element.Is("error", Namespaces.Stream))
            {
                return element.Elements().First(c => c.Namespace == Namespaces.Streams && c.Name != "text").Name;
            }

            if (e is StreamClosed)
            {
                throw new InvalidOperationException("The stream closed without a stream error.");
            }
        }
    }

    /// <summary>Sends &lt;/stream:stream&gt; (if the connection still takes it) and closes our sending side.</summary>
    public async Task CloseAsync()
    {
        try
        {
            await SendAsync("</stream:stream>");
            if (_stream is SslStream tls)
            {
                await tls.ShutdownAsync();
            }

            _tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Already closed by the server.
        }
    }

    /// <summary>
    /// Drops the connection as a client that vanished does: no stream close, and a reset that
    /// discards whatever the server sent that was not read yet.
    /// </summary>
    public void Abort()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Dispose();
    }

    /// <summary>True when the server closes the connection within the time (remaining input is discarded).</summary>
    public async Task<bool> WaitForDisconnectAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (await _stream.ReadAsync(_buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // reset
        }
    }

    // ---- negotiation ----

    /// <summary>Sends a stream header and reads the server's header and features.</summary>
    public async Task<Element> OpenStreamAsync(string? to = null, string version = "1.0")
    {
        await SendAsync($"<?xml version='1.0'?><stream:stream to='{to ?? Domain}' version='{version}' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
        var header = await ReadEventAsync();
        ServerHeader = (header as StreamOpened ?? throw new InvalidOperationException($"Expected the stream header, got {header}")).Header;
        var features = await ReadElementAsync();
        if (!features.Is("features", Namespaces.Stream))
        {
            throw new InvalidOperationException($"Expected stream features, got {features}");
        }

        Features = features;
        return features;
    }

    public IReadOnlyList<string> Mechanisms =>
        Features?.Child("mechanisms", Namespaces.Sasl)?.Elements("mechanism", Namespaces.Sasl).Select(m => m.Text).ToList() ?? [];

    /// <summary>RFC 6120 §5.4: starttls, proceed, TLS handshake (any certificate accepted), new stream.</summary>
    public async Task<Element> StartTlsAsync()
    {
        await SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        var proceed = await ReadElementAsync();
        if (!proceed.Is("proceed", Namespaces.Tls))
        {
            throw new InvalidOperationException($"Expected <proceed/>, got {proceed}");
        }

        var tls = new SslStream(_tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = Domain,
            // The server's certificate is self-signed: check that it names the domain instead of the chain.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                ServerCertificate = certificate as System.Security.Cryptography.X509Certificates.X509Certificate2;
                return ServerCertificate?.MatchesHostname(Domain) == true;
            },
        });
        _stream = tls;
        _parser = NewParser();
        _pending.Clear();
        return await OpenStreamAsync();
    }

    /// <summary>
    /// Authenticates with PLAIN, SCRAM-SHA-1 or SCRAM-SHA-256; on success restarts the stream.
    /// Returns null on success, else the failure condition.
    /// </summary>
    public async Task<string?> AuthenticateAsync(string mechanism, string user, string password)
    {
        var result = mechanism switch
        {
            "PLAIN" => await PlainAsync(user, password),
            "SCRAM-SHA-1" => await ScramAsync(mechanism, HashAlgorithmName.SHA1, user, password),
            "SCRAM-SHA-256" => await ScramAsync(mechanism, HashAlgorithmName.SHA256, user, password),
            _ => throw new ArgumentException(mechanism),
        };
        if (result is null)
        {
            _parser = NewParser();
            await OpenStreamAsync();
        }

        return result;
    }

    private async Task<string?> PlainAsync(string user, string password)
    {
        var message = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        await SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{message}</auth>");
        return Outcome(await ReadElementAsync());
    }

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SCRAM-SHA-1 is what is tested")]
    private async Task<string?> ScramAsync(string mechanism, HashAlgorithmName hash, string user, string password)
    {
        var clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var clientFirstBare = $"n={user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={clientNonce}";
        await SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='{mechanism}'>{B64("n,," + clientFirstBare)}</auth>");
        var challenge = await ReadElementAsync();
        if (!challenge.Is("challenge", Namespaces.Sasl))
        {
            return Outcome(challenge);
        }

        var serverFirst = Encoding.UTF8.GetString(Convert.FromBase64String(challenge.Text));
        var attributes = serverFirst.Split(',').ToDictionary(p => p[..1], p => p[2..]);
        var nonce = attributes["r"];
        if (!nonce.StartsWith(clientNonce, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The server nonce does not extend ours.");
        }

        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(attributes["s"]), int.Parse(attributes["i"], System.Globalization.CultureInfo.InvariantCulture), hash, hash == HashAlgorithmName.SHA1 ? 20 : 32);
        var clientKey = Hmac(hash, salted, "Client Key"u8.ToArray());
        var storedKey = hash == HashAlgorithmName.SHA1 ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey);
        var withoutProof = $"c={B64("n,,")},r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{withoutProof}");
        var signature = Hmac(hash, storedKey, authMessage);
        var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        await SendAsync($"<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{B64($"{withoutProof},p={Convert.ToBase64String(proof)}")}</response>");

        var outcome = await ReadElementAsync();
        if (outcome.Is("success", Namespaces.Sasl))
        {
            var expected = "v=" + Convert.ToBase64String(Hmac(hash, Hmac(hash, salted, "Server Key"u8.ToArray()), authMessage));
            if (Encoding.UTF8.GetString(Convert.FromBase64String(outcome.Text)) != expected)
            {
                throw new InvalidOperationException("The server signature is wrong: the server does not know our credentials.");
            }
        }

        return Outcome(outcome);
    }

    private static string? Outcome(Element element)
    {
        if (element.Is("success", Namespaces.Sasl))
        {
            return null;
        }

        if (element.Is("failure", Namespaces.Sasl))
        {
            return element.Elements().First(e => e.Name != "text").Name;
        }

        throw new InvalidOperationException($"Unexpected SASL answer {element}");
    }

    /// <summary>RFC 6120 §7: binds and returns the full JID (or throws with the error reply).</summary>
    public async Task<Jid> BindAsync(string? resource = null)
    {
        var request = resource is null
            ? "<iq type='set' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>"
            : $"<iq type='set' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{System.Security.SecurityElement.Escape(resource)}</resource></bind></iq>";
        await SendAsync(request);
        var reply = await ReadUntilAsync(e => e.Name == "iq" && e.Id == "bind_1");
        if (reply.Type != "result")
        {
            throw new BindFailedException(reply);
        }

        Jid = Jid.Parse(reply.Child("bind", Namespaces.Bind)!.ChildText("jid", Namespaces.Bind)!);
        return Jid;
    }

    /// <summary>An IQ round trip the gateway answers itself (RFC 3921 session), proving the session works.</summary>
    public async Task PingSessionAsync()
    {
        var id = "s" + Guid.NewGuid().ToString("N");
        await SendAsync($"<iq type='set' id='{id}'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
        var reply = await ReadUntilAsync(e => e.Name == "iq" && e.Id == id);
        if (reply.Type != "result")
        {
            throw new InvalidOperationException($"Session request failed: {reply}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync();
        }
        catch (IOException)
        {
        }

        _tcp.Dispose();
    }

    private static XmlStreamParser NewParser() => new(new XmlParserLimits(MaxStanzaBytes: 64 * 1024 * 1024, MaxDepth: 256, MaxAttributes: 256));

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SCRAM-SHA-1 is what is tested")]
    private static byte[] Hmac(HashAlgorithmName hash, byte[] key, byte[] data) =>
        hash == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);
}

/// <summary>The server answered a bind request with an error.</summary>
public sealed class BindFailedException(Element reply) : Exception($"Bind failed: {reply}")
{
    public Element Reply { get; } = reply;

    public string? Condition => StanzaError.FromStanza(Reply)?.Condition;
}
