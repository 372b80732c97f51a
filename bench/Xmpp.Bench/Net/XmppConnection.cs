using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Xmpp.Bench.Net;

/// <summary>
/// A client-to-server XMPP connection over a plain TCP socket: login (SASL PLAIN or SCRAM,
/// bind, optional session) and then a receive loop that hands each top-level element to a callback.
/// Sends come from one task at a time (the scenario's sender), never from the receive loop.
/// </summary>
internal sealed class XmppConnection : IAsyncDisposable
{
    private const int MaxBuffer = 4 * 1024 * 1024;

    private readonly Socket _socket;
    private byte[] _buffer;
    private int _end;
    private int _pos;
    private int _consumed;
    private ElementScanner _scanner;

    private XmppConnection(Socket socket, int bufferSize)
    {
        _socket = socket;
        _buffer = new byte[bufferSize];
    }

    public string FullJid { get; private set; } = string.Empty;

    public bool Closed { get; private set; }

    public static async Task<XmppConnection> ConnectAsync(IPEndPoint endpoint, int bufferSize, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new XmppConnection(socket, bufferSize);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens the stream, authenticates, binds <paramref name="resource"/>.</summary>
    public async Task LoginAsync(Target target, string user, string resource, CancellationToken cancellationToken)
    {
        var features = await OpenStreamAsync(target.Domain, cancellationToken);
        var mechanism = ChooseMechanism(features, target.Mechanism);
        if (mechanism == "PLAIN")
        {
            var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + target.Password));
            await SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{payload}</auth>", cancellationToken);
            var reply = await ReadElementAsync(cancellationToken);
            if (!reply.StartsWith("<success", StringComparison.Ordinal))
            {
                throw new BenchProtocolException("PLAIN failed: " + reply);
            }
        }
        else
        {
            var scram = new ScramClient(mechanism, user, target.Password);
            await SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='{mechanism}'>{scram.ClientFirst()}</auth>", cancellationToken);
            var challenge = await ReadElementAsync(cancellationToken);
            if (!challenge.StartsWith("<challenge", StringComparison.Ordinal))
            {
                throw new BenchProtocolException(mechanism + " failed: " + challenge);
            }

            await SendAsync($"<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{scram.ClientFinal(XmlScan.InnerText(challenge))}</response>", cancellationToken);
            var reply = await ReadElementAsync(cancellationToken);
            if (!reply.StartsWith("<success", StringComparison.Ordinal) || !scram.VerifyServerFinal(XmlScan.InnerText(reply)))
            {
                throw new BenchProtocolException(mechanism + " failed: " + reply);
            }
        }

        _scanner.Reset();
        _consumed = _pos = _end = 0;
        features = await OpenStreamAsync(target.Domain, cancellationToken);
        await SendAsync($"<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{resource}</resource></bind></iq>", cancellationToken);
        var bound = await ReadUntilAsync("bind1", cancellationToken);
        if (XmlScan.Attribute(bound, "type") != "result")
        {
            throw new BenchProtocolException("bind failed: " + bound);
        }

        FullJid = XmlScan.ElementText(bound, "jid") ?? $"{user}@{target.Domain}/{resource}";
        if (features.Contains("urn:ietf:params:xml:ns:xmpp-session", StringComparison.Ordinal) && !features.Contains("<optional", StringComparison.Ordinal))
        {
            await SendAsync("<iq type='set' id='sess1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>", cancellationToken);
            await ReadUntilAsync("sess1", cancellationToken);
        }
    }

    /// <summary>
    /// In-band registration (XEP-0077) of <paramref name="user"/>, to pre-create accounts on peers
    /// that offer it. Returns false if the account exists already.
    /// </summary>
    public async Task<bool> RegisterAsync(Target target, string user, CancellationToken cancellationToken)
    {
        await OpenStreamAsync(target.Domain, cancellationToken);
        await SendAsync($"<iq type='set' id='reg1'><query xmlns='jabber:iq:register'><username>{user}</username><password>{target.Password}</password></query></iq>", cancellationToken);
        var reply = await ReadUntilAsync("reg1", cancellationToken);
        if (XmlScan.Attribute(reply, "type") == "result")
        {
            return true;
        }

        if (reply.Contains("<conflict", StringComparison.Ordinal))
        {
            return false;
        }

        throw new BenchProtocolException("registration failed: " + reply);
    }

    private static string ChooseMechanism(string features, string wanted)
    {
        foreach (var candidate in wanted.Split(','))
        {
            if (features.Contains($">{candidate}<", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new BenchProtocolException($"none of {wanted} offered: {features}");
    }

    private async Task<string> OpenStreamAsync(string domain, CancellationToken cancellationToken)
    {
        await SendAsync($"<?xml version='1.0'?><stream:stream to='{domain}' version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>", cancellationToken);
        var header = await ReadFrameAsync(cancellationToken);
        if (header.Kind != FrameKind.StreamHeader)
        {
            throw new BenchProtocolException("expected a stream header, got " + header.Kind + " " + header.Text);
        }

        var features = await ReadElementAsync(cancellationToken);
        if (!features.StartsWith("<stream:features", StringComparison.Ordinal))
        {
            throw new BenchProtocolException("expected features, got " + features);
        }

        return features;
    }

    /// <summary>Reads elements until an iq with the given id arrives (other stanzas are skipped).</summary>
    public async Task<string> ReadUntilAsync(string id, CancellationToken cancellationToken)
    {
        for (var skipped = 0; skipped < 10_000; skipped++)
        {
            var element = await ReadElementAsync(cancellationToken);
            if (XmlScan.Attribute(element, "id") == id)
            {
                return element;
            }
        }

        throw new BenchProtocolException("no reply with id " + id);
    }

    private async Task<string> ReadElementAsync(CancellationToken cancellationToken)
    {
        var frame = await ReadFrameAsync(cancellationToken);
        if (frame.Kind != FrameKind.Element)
        {
            throw new BenchProtocolException("stream ended: " + frame.Text);
        }

        var text = frame.Text;
        if (text.StartsWith("<stream:error", StringComparison.Ordinal))
        {
            throw new BenchProtocolException("stream error: " + text);
        }

        return text;
    }

    /// <summary>The next stream token; its bytes are valid until the next call.</summary>
    public async ValueTask<Frame> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var kind = _scanner.Next(_buffer.AsSpan(0, _end), ref _pos, out var start);
            if (kind != FrameKind.None)
            {
                _consumed = _pos;
                return new Frame(kind, _buffer.AsMemory(start, _pos - start));
            }

            Compact();
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                Closed = true;
                return new Frame(FrameKind.StreamEnd, ReadOnlyMemory<byte>.Empty);
            }

            _end += read;
        }
    }

    private void Compact()
    {
        var keep = Math.Min(_scanner.PendingStart(_pos), _pos);
        keep = Math.Max(Math.Min(keep, _consumed), 0);
        if (keep > 0)
        {
            _buffer.AsSpan(keep, _end - keep).CopyTo(_buffer);
            _end -= keep;
            _pos -= keep;
            _consumed -= keep;
            _scanner.Shift(keep);
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxBuffer)
            {
                throw new BenchProtocolException("element larger than " + MaxBuffer + " bytes");
            }

            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }

    /// <summary>
    /// Calls <paramref name="onElement"/> for every element until the stream ends or
    /// <paramref name="cancellationToken"/> fires. Returns true if the server ended the stream.
    /// </summary>
    public async Task<bool> ReceiveLoopAsync(Action<ReadOnlyMemory<byte>> onElement, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var frame = await ReadFrameAsync(cancellationToken);
                if (frame.Kind == FrameKind.StreamEnd)
                {
                    return true;
                }

                if (frame.Kind == FrameKind.Element)
                {
                    onElement(frame.Bytes);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public Task SendAsync(string xml, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(xml), cancellationToken).AsTask();

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Enables resumable stream management (XEP-0198) and waits for <c>&lt;enabled/&gt;</c>.</summary>
    public async Task EnableResumptionAsync(CancellationToken cancellationToken)
    {
        await SendAsync("<enable xmlns='urn:xmpp:sm:3' resume='true'/>", cancellationToken);
        for (var skipped = 0; skipped < 10_000; skipped++)
        {
            var element = await ReadElementAsync(cancellationToken);
            if (element.StartsWith("<enabled", StringComparison.Ordinal))
            {
                return;
            }

            if (element.StartsWith("<failed", StringComparison.Ordinal))
            {
                throw new BenchProtocolException("stream management refused: " + element);
            }
        }

        throw new BenchProtocolException("no <enabled/>");
    }

    /// <summary>Drops the connection as a client that vanished does: no stream close, a reset.</summary>
    public void Abort()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Dispose();
        Closed = true;
    }

    /// <summary>Ends the stream politely (best effort) and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.Connected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _socket.SendAsync("</stream:stream>"u8.ToArray(), SocketFlags.None, timeout.Token);
                _socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone already; nothing to end.
        }

        _socket.Dispose();
    }
}
